import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import './PageShell.scss'

interface PageShellProps {
  children: ReactNode
  /** Extra room at the bottom, for pages with a fixed action bar. */
  className?: string
}

/** The frame of every page: background, side margins, bottom safe area. */
export function PageShell({ children, className }: PageShellProps) {
  return <View className={`dj-page ${className ?? ''}`}>{children}</View>
}
