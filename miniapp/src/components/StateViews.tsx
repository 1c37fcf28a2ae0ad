/**
 * Loading, empty and error states. Every page that waits for the API shows one
 * of these instead of a blank screen, in words an older member understands.
 */
import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import { Button, Loading } from '@/ui/nutui'
import './StateViews.scss'

export function LoadingState({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className='dj-state' role='status' aria-live='polite'>
      <Loading type='circular' />
      <Text className='dj-state__text'>{text}</Text>
    </View>
  )
}

interface EmptyStateProps {
  title: string
  description?: ReactNode
  action?: ReactNode
}

export function EmptyState({ title, description, action }: EmptyStateProps) {
  return (
    <View className='dj-state'>
      <View className='dj-state__mark dj-state__mark--empty'>
        <Text>无</Text>
      </View>
      <Text className='dj-state__title'>{title}</Text>
      {description ? <Text className='dj-state__text'>{description}</Text> : null}
      {action ? <View className='dj-state__action'>{action}</View> : null}
    </View>
  )
}

interface ErrorStateProps {
  /** Chinese text from the API client (the server's message, or the network message). */
  message: string
  onRetry?: () => void
  retryText?: string
}

export function ErrorState({ message, onRetry, retryText = '重新加载' }: ErrorStateProps) {
  return (
    <View className='dj-state' role='alert'>
      <View className='dj-state__mark dj-state__mark--error'>
        <Text>!</Text>
      </View>
      <Text className='dj-state__title'>出错了</Text>
      <Text className='dj-state__text'>{message}</Text>
      {onRetry ? (
        <View className='dj-state__action'>
          <Button type='primary' size='large' onClick={onRetry}>
            {retryText}
          </Button>
        </View>
      ) : null}
    </View>
  )
}
