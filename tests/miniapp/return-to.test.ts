/**
 * The page to come back to after login: any page of the app with its query,
 * and nothing else (no other site, no scheme, no login loop).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { currentPageUrl, loginUrl, pendingReturn, safeReturnUrl } from '@/session/return-to'

describe('safeReturnUrl', () => {
  it('keeps a page of the app with its query, escaped or not', () => {
    expect(safeReturnUrl('/packages/members/detail/index?id=3')).toBe('/packages/members/detail/index?id=3')
    expect(safeReturnUrl('%2Fpackages%2Fmembers%2Fdetail%2Findex%3Fid%3D3')).toBe('/packages/members/detail/index?id=3')
    expect(safeReturnUrl('/pages/me/index')).toBe('/pages/me/index')
    expect(safeReturnUrl('/packages/dashboard/index/index?townshipId=2&month=2026-11')).toBe('/packages/dashboard/index/index?townshipId=2&month=2026-11')
  })

  it('drops the H5 router’s page stamp', () => {
    expect(safeReturnUrl('/packages/transfers/detail/index?id=7&stamp=12')).toBe('/packages/transfers/detail/index?id=7')
  })

  it.each([
    'https://evil.example/packages/members/detail/index',
    '//evil.example/pages/me/index',
    'javascript:alert(1)',
    '/pages/login/index',
    '/pages/login/index?back=%2Fpages%2Fme%2Findex',
    '/packages/members/detail/index?next=https://evil.example',
    '/packages/members/detail/index?a=1?b=2',
    '/packages/../pages/me/index',
    '/Packages/members/detail/index',
    'pages/me/index',
    '%2F%2Fevil.example',
    '%E0%A4%A',
    '',
    null,
    42,
  ])('refuses %s', (raw) => {
    expect(safeReturnUrl(raw)).toBeNull()
  })
})

describe('in H5', () => {
  afterEach(() => {
    window.location.hash = ''
  })

  it('reads the page on screen from the hash and the way back from the login page’s query', () => {
    window.location.hash = '#/packages/members/detail/index?id=3'
    const back = currentPageUrl()
    expect(back).toBe('/packages/members/detail/index?id=3')
    expect(loginUrl(back)).toBe('/pages/login/index?back=%2Fpackages%2Fmembers%2Fdetail%2Findex%3Fid%3D3')
    window.location.hash = `#${loginUrl(back)}`
    expect(pendingReturn()).toBe('/packages/members/detail/index?id=3')
  })

  it('has no way back on a login page opened plainly or with a foreign target', () => {
    window.location.hash = '#/pages/login/index'
    expect(pendingReturn()).toBeNull()
    window.location.hash = `#/pages/login/index?back=${encodeURIComponent('https://evil.example/')}`
    expect(pendingReturn()).toBeNull()
    expect(loginUrl(null)).toBe('/pages/login/index')
  })
})
