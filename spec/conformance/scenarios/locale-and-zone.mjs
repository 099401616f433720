// The time zone and locale Worker code runs with. Local workerd takes the host's (TZ, LANG), as
// durasim does, so the record agrees on any machine (production runs in UTC).
import { inside } from "../scenario.mjs";

export default [
  inside("locale and zone: time zone, default locale, Date strings and locale formatting", "sqlite", `
    const d = new Date(Date.UTC(2024, 6, 4, 15, 30, 45, 123));
    const opts = Intl.DateTimeFormat().resolvedOptions();
    return {
      offset: d.getTimezoneOffset(),
      hours: d.getHours(),
      zone: opts.timeZone,
      locale: opts.locale,
      calendar: opts.calendar,
      numberingSystem: opts.numberingSystem,
      numberLocale: new Intl.NumberFormat().resolvedOptions().locale,
      dateString: d.toString(),
      dateOnly: d.toDateString(),
      timeString: d.toTimeString(),
      localeString: d.toLocaleString(),
      localeDate: d.toLocaleDateString(),
      localeTime: d.toLocaleTimeString(),
      numberLocaleString: (1234567.891).toLocaleString(),
      bigintLocaleString: 12345678901234567890n.toLocaleString(),
      collator: ["b", "a", "B", "ä"].sort(new Intl.Collator().compare),
      localeCompare: "a".localeCompare("B"),
      upper: "i".toLocaleUpperCase(),
      parsedLocal: new Date("2024-07-04T15:30:45").getTime(),
      parsedDateOnly: new Date("2024-07-04").getTime(),
      supported: Intl.DateTimeFormat.supportedLocalesOf(["de-DE", "ja-JP", "xx-XX"]),
      german: new Intl.NumberFormat("de-DE").format(1234.5),
      japaneseDate: new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo" }).format(d),
      relative: new Intl.RelativeTimeFormat("en", { numeric: "auto" }).format(-1, "day"),
      list: new Intl.ListFormat("en").format(["a", "b", "c"]),
      plural: new Intl.PluralRules("en").select(1),
    };`),
];
