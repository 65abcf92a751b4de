// golden.mjs writes ../testdata/intl_golden.json: how ICU, through Node's
// Intl.DateTimeFormat, writes a set of instants in a set of zones for the locales Plenary
// renders in. The Go tests (TestIntlGolden) compare Plenary's renderings with it, so the
// expected strings come from ICU/CLDR, not from Plenary. Run once per ICU/CLDR upgrade:
//   npm run golden
// The file records the Node, ICU, CLDR and tz versions that wrote it.

const locales = [
  // The locales of issue 16.
  "en", "en-GB", "fr", "fr-CA", "es", "es-419", "ar", "ar-EG", "zh", "ru", "pt-BR",
  // BCP 47 extensions a reader may send (RFC 6067 / UTS #35: hc, nu).
  "en-u-hc-h23", "en-GB-u-hc-h12", "fr-CA-u-hc-h12", "es-419-u-hc-h23", "ar-u-nu-arab", "ar-EG-u-nu-latn", "ar-EG-u-hc-h23",
  // Regional locales that inherit from another (CLDR parentLocales, likely subtags).
  "en-US", "en-AU", "en-IN", "es-MX", "fr-CH", "pt", "pt-PT", "ar-SA", "ar-MA", "ru-UA", "zh-Hans-SG",
  // Not zh-Hant (zh-TW, zh-HK): ICU joins its date and time with a space where the CLDR
  // JSON pattern has none ({1}{0}), and writes its short time with "a" where CLDR's has "B";
  // Plenary follows the CLDR data there.
];

const zones = ["Europe/Paris", "America/New_York", "Asia/Kathmandu", "Australia/Sydney", "America/Santiago", "UTC"];

const instants = [
  "2022-12-06T15:30:00Z", // the example
  "2026-03-29T00:59:00Z", // Paris: one minute before clocks go forward
  "2026-03-29T01:00:00Z", // Paris: the first minute of summer time
  "2026-10-25T00:30:00Z", // Paris: 02:30 the first time (CEST)
  "2026-10-25T01:30:00Z", // Paris: 02:30 the second time (CET)
  "2026-03-08T07:00:00Z", // New York: clocks went forward at 02:00
  "2026-04-04T16:00:00Z", // Sydney: the first minute after summer time ends
  "2026-09-06T04:00:00Z", // Santiago: its own DST change
  "2026-01-01T00:05:00Z", // five past midnight UTC: 12:05 AM in 12-hour locales
  "2026-06-15T12:00:00Z", // noon UTC
];

const opts = {
  full: { dateStyle: "full", timeStyle: "short" },
  date: { dateStyle: "full" },
  time: { timeStyle: "short" },
  short: { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" },
};

const cases = [];
for (const locale of locales) {
  for (const timeZone of zones) {
    for (const instant of instants) {
      const d = new Date(instant);
      const c = { locale, zone: timeZone, instant };
      for (const [k, o] of Object.entries(opts)) {
        c[k] = new Intl.DateTimeFormat(locale, { ...o, timeZone }).format(d);
      }
      cases.push(c);
    }
  }
}

const out = {
  generator: "scheduler/zone/cldrgen/golden.mjs (Intl.DateTimeFormat)",
  node: process.versions.node,
  icu: process.versions.icu,
  cldr: process.versions.cldr,
  tz: process.versions.tz,
  options: opts,
  cases,
};
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
