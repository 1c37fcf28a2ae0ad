/**
 * The NutUI components this app uses, imported one by one with their own
 * stylesheets. Importing from the package root would pull in NutUI's full
 * stylesheet (about 190 KB more in the weapp main package).
 *
 * To use another NutUI component, add it here (component + `style/css`) and
 * import it from '@/ui/nutui' — never from '@nutui/nutui-react-taro' directly.
 */
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/cellgroup/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/loading/style/css'

export { default as Button } from '@nutui/nutui-react-taro/dist/es/packages/button'
export type { ButtonProps } from '@nutui/nutui-react-taro/dist/es/packages/button'
export { default as Cell } from '@nutui/nutui-react-taro/dist/es/packages/cell'
export { default as CellGroup } from '@nutui/nutui-react-taro/dist/es/packages/cellgroup'
export { default as Loading } from '@nutui/nutui-react-taro/dist/es/packages/loading'
