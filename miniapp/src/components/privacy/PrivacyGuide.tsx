/** The privacy guide's text, from shared/ (the same version the server asks consent for). */
import { View, Text } from '@tarojs/components'
import { PRIVACY_GUIDE_EFFECTIVE_ON, PRIVACY_GUIDE_SECTIONS, PRIVACY_GUIDE_TITLE, PRIVACY_GUIDE_VERSION } from '@shared/privacy'
import './privacy.scss'

export function PrivacyGuide() {
  return (
    <View className='dj-pg' data-testid='privacy-guide'>
      <Text className='dj-pg__title'>{PRIVACY_GUIDE_TITLE}</Text>
      <Text className='dj-pg__meta'>
        第{PRIVACY_GUIDE_VERSION}版 · {PRIVACY_GUIDE_EFFECTIVE_ON}起施行
      </Text>
      {PRIVACY_GUIDE_SECTIONS.map((s) => (
        <View key={s.heading} className='dj-pg__section'>
          <Text className='dj-pg__heading'>{s.heading}</Text>
          {s.paragraphs.map((p) => (
            <Text key={p} className='dj-pg__p'>
              {p}
            </Text>
          ))}
        </View>
      ))}
    </View>
  )
}
