import type { Weekday } from '../calendar/weekdays';
import type { RegulationPreset } from './types';

// The data behind docs/regulations.md, which says for each entry what was confirmed from which source and what
// was not. Change both together, and move `checked` only after reading the sources again. Not legal advice.

const everyDay: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const monToSat: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const monToFri: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const checked = '2026-12-02';

// State presets include us-tcpa: a client who names only `us-fl` still gets the federal floor, and through
// us-telemarketing the duplicate is expanded once (and is harmless anyway: the layers intersect).
const tcpa = ['us-tcpa'];

export const presetData: Record<string, RegulationPreset> = {
  'us-tcpa': {
    id: 'us-tcpa',
    title: 'US Telephone Consumer Protection Act: calling hours',
    jurisdiction: 'US',
    appliesTo:
      'Telephone solicitations (calls and, as the FCC reads the TCPA, text messages) to residential subscribers; not messages sent with prior express invitation or permission, within an established business relationship, or by a tax-exempt nonprofit',
    rules: [{ days: everyDay, from: '08:00', to: '21:00' }],
    sources: [
      {
        title:
          "47 CFR § 64.1200(c)(1): no telephone solicitation before 8 a.m. or after 9 p.m., local time at the called party's location",
        url: 'https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200',
      },
      {
        title: '47 U.S.C. § 227 (Telephone Consumer Protection Act)',
        url: 'https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title47-section227&num=0&edition=prelim',
      },
    ],
    checked,
  },
  'us-fl': {
    id: 'us-fl',
    title: 'Florida Telephone Solicitation Act and Florida Telemarketing Act: hours and 3 per 24 hours',
    jurisdiction: 'US-FL',
    appliesTo:
      'Commercial telephone solicitation calls and texts to a person in Florida (a Florida area code is presumed to reach one), on the same subject matter or issue for the cap',
    rules: [{ days: everyDay, from: '08:00', to: '20:00' }],
    caps: [{ max: 3, per: 'PT24H' }],
    includes: tcpa,
    sources: [
      {
        title:
          "Fla. Stat. § 501.616(6)(a)–(b): not before 8 a.m. or after 8 p.m. at the called person's location; not more than three calls in 24 hours on the same subject matter or issue",
        url: 'https://www.flsenate.gov/Laws/Statutes/2024/501.616',
      },
      {
        title:
          'Fla. Stat. § 501.059 (FTSA): rebuttable presumption that a call to a Florida area code reaches a person in Florida',
        url: 'https://www.flsenate.gov/Laws/Statutes/2024/501.059',
      },
      {
        title: 'CS/SB 1120 (2021), enrolled text, which made both changes',
        url: 'https://www.flsenate.gov/Session/Bill/2021/1120/BillText/er/HTML',
      },
    ],
    checked,
  },
  'us-ok': {
    id: 'us-ok',
    title: 'Oklahoma Telephone Solicitation Act of 2022: hours and 3 per 24 hours',
    jurisdiction: 'US-OK',
    appliesTo:
      'Commercial telephonic sales calls and texts to a person in Oklahoma (an Oklahoma area code is presumed to reach one), on the same subject matter or issue for the cap',
    rules: [{ days: everyDay, from: '08:00', to: '20:00' }],
    caps: [{ max: 3, per: 'PT24H' }],
    includes: tcpa,
    sources: [
      {
        title: 'HB 3168 (2022), the Telephone Solicitation Act of 2022, codified at 15 O.S. § 775C.1 ff.',
        url: 'https://www.oklegislature.gov/BillInfo.aspx?Bill=HB3168&Session=2200',
      },
    ],
    checked,
  },
  'us-md': {
    id: 'us-md',
    title: 'Maryland Stop the Spam Calls Act of 2023: hours and 3 per 24 hours',
    jurisdiction: 'US-MD',
    appliesTo:
      'Telephone solicitations (calls and texts) to a called party in Maryland, on the same subject matter for the cap',
    rules: [{ days: everyDay, from: '08:00', to: '20:00' }],
    caps: [{ max: 3, per: 'PT24H' }],
    includes: tcpa,
    sources: [
      {
        title: 'Md. Code, Com. Law § 14-4502 (Title 14, Subtitle 45, from § 14-4501)',
        url: 'https://mgaleg.maryland.gov/mgawebsite/Laws/StatuteText?article=gcl&section=14-4502&enactments=false',
      },
      {
        title: 'SB 90 (2023), Stop the Spam Calls Act of 2023',
        url: 'https://mgaleg.maryland.gov/mgawebsite/Legislation/Details/sb0090?ys=2023RS',
      },
    ],
    checked,
  },
  'us-ct': {
    id: 'us-ct',
    title: 'Connecticut telemarketing law (Conn. Gen. Stat. § 42-288a as amended in 2023): hours',
    jurisdiction: 'US-CT',
    appliesTo:
      'Telephonic sales calls and texts to a Connecticut resident consumer or a Connecticut area code (presumed to take place in the state)',
    rules: [{ days: everyDay, from: '09:00', to: '20:00' }],
    includes: tcpa,
    sources: [
      {
        title:
          'Conn. Gen. Stat. chapter 743m: § 42-288a (hours, 9 a.m. to 8 p.m. local time) and § 42-288(c) (area-code presumption)',
        url: 'https://www.cga.ct.gov/current/pub/chap_743m.htm#sec_42-288a',
      },
      {
        title: 'Public Act 23-98 (SB 1058), effective 2023-10-01',
        url: 'https://www.cga.ct.gov/2023/ACT/PA/PDF/2023PA-00098-R00SB-01058-PA.PDF',
      },
    ],
    checked,
  },
  'us-al': {
    id: 'us-al',
    title: 'Alabama telephone solicitation rules: no Sundays, no holidays, 8 a.m. to 8 p.m.',
    jurisdiction: 'US-AL',
    appliesTo:
      'Telephone solicitation calls to consumers in Alabama (the Public Service Commission rule read here is worded for automated solicitation calls)',
    rules: [{ days: monToSat, from: '08:00', to: '20:00' }],
    calendars: ['US-AL'],
    includes: tcpa,
    sources: [
      {
        title:
          'Ala. Admin. Code r. 770-X-5-.17(1)(b): no solicitation calls on Sundays or holidays; otherwise not before 8 a.m. or after 8 p.m.',
        url: 'https://regulations.justia.com/states/alabama/title-770/chapter-770-x-5/section-770-x-5-17',
      },
      {
        title: 'Ala. Code § 8-19C-1 ff. (telephone solicitations; do-not-call database)',
        url: 'https://law.justia.com/codes/alabama/title-8/chapter-19c/',
      },
    ],
    checked,
  },
  'us-la': {
    id: 'us-la',
    title: 'Louisiana Telephone Solicitation Relief Act: no Sundays, no legal holidays, 8 a.m. to 8 p.m.',
    jurisdiction: 'US-LA',
    appliesTo: 'Telephonic solicitations (voice or data) to residential telephonic subscribers in Louisiana',
    rules: [{ days: monToSat, from: '08:00', to: '20:00' }],
    calendars: ['US-LA'],
    includes: tcpa,
    sources: [
      {
        title: 'La. R.S. 45:844.14, listing procedures; prohibited acts (Chapter 8-H, from § 844.11)',
        url: 'https://legis.la.gov/Legis/Law.aspx?d=100148',
      },
    ],
    checked,
  },
  'us-ms': {
    id: 'us-ms',
    title: 'Mississippi Telephone Solicitation Act: no Sundays, 8 a.m. to 8 p.m.',
    jurisdiction: 'US-MS',
    appliesTo: 'Telephone solicitations (calls and texts) to consumers in Mississippi',
    rules: [{ days: monToSat, from: '08:00', to: '20:00' }],
    includes: tcpa,
    sources: [
      {
        title:
          'Miss. Code Ann. § 77-3-723(1): between 8:00 a.m. and 8:00 p.m. Central Standard Time; no telephone solicitations on a Sunday',
        url: 'https://law.justia.com/codes/mississippi/title-77/chapter-3/article-15/section-77-3-723/',
      },
    ],
    checked,
  },
  'fr-canvassing': {
    id: 'fr-canvassing',
    title: 'France: telephone canvassing days, hours and frequency (Code de la consommation, art. D. 223-9)',
    jurisdiction: 'FR',
    appliesTo:
      'Unsolicited telephone canvassing of consumers for commercial prospecting, including subscription sales of newspapers and magazines; not when the consumer gave prior express consent to be called at other times',
    rules: [
      { days: monToFri, from: '10:00', to: '13:00' },
      { days: monToFri, from: '14:00', to: '20:00' },
    ],
    calendars: ['FR'],
    caps: [{ max: 4, per: 'P30D' }],
    sources: [
      {
        title: 'Décret n° 2022-1313 du 13 octobre 2022 (JORF n° 0239), in force 2023-03-01',
        url: 'https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000046421823',
      },
      {
        title: 'Code de la consommation, article D223-9',
        url: 'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000046422695',
      },
    ],
    checked,
  },
  'us-telemarketing': {
    id: 'us-telemarketing',
    title: "US telemarketing: TCPA everywhere, plus the rules of the recipient's state",
    jurisdiction: 'US',
    appliesTo:
      "Telephone solicitations to US recipients: us-tcpa always, and the state preset of each region the recipient may be in (from recipient.region or the number's area code)",
    includes: tcpa,
    byRecipientRegion: {
      'US-FL': 'us-fl',
      'US-OK': 'us-ok',
      'US-MD': 'us-md',
      'US-CT': 'us-ct',
      'US-AL': 'us-al',
      'US-LA': 'us-la',
      'US-MS': 'us-ms',
    },
    sources: [
      {
        title: "47 CFR § 64.1200(c)(1): local time at the called party's location",
        url: 'https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200',
      },
    ],
    checked,
  },
};
