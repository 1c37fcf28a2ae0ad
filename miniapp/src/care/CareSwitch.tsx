import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { setCareChoice, storedCareChoice } from './care-mode'
import { useCareMode } from './useCareMode'
import './CareSwitch.scss'

/**
 * 大字模式 on 我的: one big switch. The choice is kept on the phone and applies to every page at once; until the
 * member has chosen, the app follows WeChat's font size, and a chosen setting can go back to following it.
 */
export function CareSwitch() {
  const on = useCareMode()
  const [choice, setChoice] = useState(storedCareChoice)
  const choose = (next: 'on' | 'off' | 'system') => {
    setCareChoice(next)
    setChoice(next)
  }
  return (
    <View className='dj-care-switch' data-testid='care-switch-card'>
      <View className='dj-care-switch__row' role='switch' aria-checked={on} data-testid='care-switch' onClick={() => choose(on ? 'off' : 'on')}>
        <View className='dj-care-switch__text'>
          <Text className='dj-care-switch__title'>大字模式</Text>
          <Text className='dj-care-switch__desc'>{on ? '已开启：字和按钮都更大' : '开启后字和按钮都更大，方便长辈使用'}</Text>
        </View>
        <View className={`dj-care-switch__track ${on ? 'dj-care-switch__track--on' : ''}`}>
          <View className='dj-care-switch__knob' />
        </View>
      </View>
      {choice === 'system' ? (
        <Text className='dj-care-switch__note'>现在跟随微信的字体大小设置</Text>
      ) : (
        <Text className='dj-care-switch__follow' data-testid='care-follow-wechat' onClick={() => choose('system')}>
          改为跟随微信字体大小
        </Text>
      )}
    </View>
  )
}
