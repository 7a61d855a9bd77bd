import { createI18n } from 'vue-i18n';
import en from './en.json';
import nl from './nl-BE.json';

export type Locale = 'nl-BE' | 'en';

/** Dutch (nl-BE) is the source locale; English is one click away. */
export const i18n = createI18n({
  legacy: false,
  locale: (localStorage.getItem('meetnet.locale') as Locale | null) ?? 'nl-BE',
  fallbackLocale: 'nl-BE',
  messages: { 'nl-BE': nl, en },
  datetimeFormats: {
    'nl-BE': {
      time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
      hour: { hour: '2-digit', minute: '2-digit' },
      short: { dateStyle: 'short', timeStyle: 'medium' },
    },
    en: {
      time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
      hour: { hour: '2-digit', minute: '2-digit' },
      short: { dateStyle: 'short', timeStyle: 'medium' },
    },
  },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem('meetnet.locale', locale);
  document.documentElement.lang = locale;
}
