import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { CARE_CLASS, useCareMode } from '@/care'
import './PageShell.scss'

interface PageShellProps {
  children: ReactNode
  /** Extra room at the bottom, for pages with a fixed action bar. */
  className?: string
}

/**
 * The frame of every page: background, side margins, bottom safe area, and 长辈模式 (the care class switches the
 * font-size and tap-height variables for everything inside, see care/care.scss).
 */
export function PageShell({ children, className }: PageShellProps) {
  const care = useCareMode()
  return (
    <View className={`dj-page ${care ? CARE_CLASS : ''} ${className ?? ''}`} data-care={care ? 'on' : 'off'}>
      {children}
    </View>
  )
}
