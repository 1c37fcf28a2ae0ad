import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import './Card.scss'

interface CardProps {
  title?: ReactNode
  /** Right side of the title row: a tag, a link. */
  extra?: ReactNode
  children?: ReactNode
  /** Red left rule and tinted title, for the one card a page leads with. */
  accent?: boolean
  className?: string
  testId?: string
}

export function Card({ title, extra, children, accent, className, testId }: CardProps) {
  return (
    <View className={`dj-card ${accent ? 'dj-card--accent' : ''} ${className ?? ''}`} data-testid={testId}>
      {title !== undefined || extra !== undefined ? (
        <View className='dj-card__head'>
          <Text className='dj-card__title'>{title}</Text>
          {extra !== undefined ? <View className='dj-card__extra'>{extra}</View> : null}
        </View>
      ) : null}
      {children !== undefined ? <View className='dj-card__body'>{children}</View> : null}
    </View>
  )
}
