import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { Cell, CellGroup } from '@/ui/nutui'
import { setCareChoice, storedCareChoice } from './care-mode'
import { useCareMode } from './useCareMode'
import './CareSwitch.scss'

/**
 * 大字模式 on 我的: one big row that switches it. The choice is kept on the phone and applies to every page at
 * once; until the member has chosen, the app follows WeChat's font size, and a choice can go back to following it.
 * Built from the Cell the page already uses, so it adds little to the main package.
 */
export function CareSwitch() {
  const on = useCareMode()
  const [choice, setChoice] = useState(storedCareChoice)
  const choose = (next: 'on' | 'off' | 'system') => {
    setCareChoice(next)
    setChoice(next)
  }
  const state = <Text className={`dj-care-switch${on ? ' dj-care-switch--on' : ''}`}>{on ? '已开启' : '未开启'}</Text>
  return (
    <CellGroup>
      <View role='switch' aria-checked={on} data-testid='care-switch' onClick={() => choose(on ? 'off' : 'on')}>
        <Cell title='大字模式' description={choice === 'system' ? '字和按钮更大，方便长辈使用；现在跟随微信的字体大小' : '字和按钮更大，方便长辈使用'} extra={state} clickable />
      </View>
      {choice === 'system' ? null : (
        <View data-testid='care-follow-wechat' onClick={() => choose('system')}>
          <Cell title='改为跟随微信字体大小' clickable />
        </View>
      )}
    </CellGroup>
  )
}
