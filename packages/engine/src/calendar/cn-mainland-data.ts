/**
 * Public holidays and make-up workdays (调休) of mainland China, one entry per
 * yearly notice of the General Office of the State Council (国务院办公厅关于
 * ××××年部分节假日安排的通知), transcribed period by period so that each line
 * can be checked against the notice's text.
 *
 * Checked against the published text of every notice (Xinhua / People's Daily
 * reprints and government sites, linked per year). Days the notices only
 * *encourage* employers to give off (such as 除夕 2024-02-09) are working days.
 *
 * Adding a year: copy the notice period by period, add a test with the
 * weekdays the notice states, and widen `CN_MAINLAND_COVERAGE`.
 */

/** One holiday period of a notice: days off from `from` to `to` inclusive, and its make-up workdays. */
export interface HolidayPeriod {
  /** The holiday, in Chinese as the notice names it. */
  readonly name: string;
  /** First day off, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day off, inclusive. */
  readonly to: string;
  /** Weekend days worked instead (上班). */
  readonly workdays: readonly string[];
}

/** A State Council holiday notice for one year. */
export interface HolidayNotice {
  /** The year arranged. */
  readonly year: number;
  /** Document number, such as `国办发明电〔2024〕12号`. */
  readonly number: string;
  /** Date the notice was issued, `YYYY-MM-DD`. */
  readonly published: string;
  /** Where the text was checked. */
  readonly sources: readonly string[];
  readonly periods: readonly HolidayPeriod[];
}

const p = (name: string, from: string, to: string, workdays: readonly string[] = []): HolidayPeriod => ({ name, from, to, workdays });

/** Every notice shipped, oldest first. */
export const CN_MAINLAND_NOTICES: readonly HolidayNotice[] = [
  {
    year: 2021,
    number: "国办发明电〔2020〕27号",
    published: "2020-11-25",
    sources: ["https://crainternational.com.cn/infor/view?id=5299 (reprint of People's Daily)", "http://www.cncaprc.cn/?c=i&a=lList_mod&myid=3&id=3366 (reprint of www.gov.cn)"],
    periods: [
      p("元旦", "2021-01-01", "2021-01-03"),
      p("春节", "2021-02-11", "2021-02-17", ["2021-02-07", "2021-02-20"]),
      p("清明节", "2021-04-03", "2021-04-05"),
      p("劳动节", "2021-05-01", "2021-05-05", ["2021-04-25", "2021-05-08"]),
      p("端午节", "2021-06-12", "2021-06-14"),
      p("中秋节", "2021-09-19", "2021-09-21", ["2021-09-18"]),
      p("国庆节", "2021-10-01", "2021-10-07", ["2021-09-26", "2021-10-09"]),
    ],
  },
  {
    year: 2022,
    number: "国办发明电〔2021〕11号",
    published: "2021-10-25",
    sources: ["http://www.beijing.gov.cn/zhengce/zhengcefagui/202110/t20211026_2520500.html"],
    periods: [
      p("元旦", "2022-01-01", "2022-01-03"),
      p("春节", "2022-01-31", "2022-02-06", ["2022-01-29", "2022-01-30"]),
      p("清明节", "2022-04-03", "2022-04-05", ["2022-04-02"]),
      p("劳动节", "2022-04-30", "2022-05-04", ["2022-04-24", "2022-05-07"]),
      p("端午节", "2022-06-03", "2022-06-05"),
      p("中秋节", "2022-09-10", "2022-09-12"),
      p("国庆节", "2022-10-01", "2022-10-07", ["2022-10-08", "2022-10-09"]),
    ],
  },
  {
    year: 2023,
    number: "国办发明电〔2022〕16号",
    published: "2022-12-08",
    sources: [
      "https://zh.wikisource.org/wiki/国务院办公厅关于2023年部分节假日安排的通知 (国务院公报 2023 年第 1 号)",
      "http://big5.china.com.cn/gate/big5/news.china.com.cn/2022-12/09/content_85004315.htm",
    ],
    periods: [
      // The notice's New Year period starts on 2022-12-31 (a Saturday).
      p("元旦", "2022-12-31", "2023-01-02"),
      p("春节", "2023-01-21", "2023-01-27", ["2023-01-28", "2023-01-29"]),
      p("清明节", "2023-04-05", "2023-04-05"),
      p("劳动节", "2023-04-29", "2023-05-03", ["2023-04-23", "2023-05-06"]),
      p("端午节", "2023-06-22", "2023-06-24", ["2023-06-25"]),
      p("中秋节、国庆节", "2023-09-29", "2023-10-06", ["2023-10-07", "2023-10-08"]),
    ],
  },
  {
    year: 2024,
    number: "国办发明电〔2023〕7号",
    published: "2023-10-25",
    sources: [
      "http://paper.people.com.cn/rmrb/html/2023-10/26/nw.D110000renmrb_20231026_3-06.htm",
      "https://zh.wikisource.org/wiki/国务院办公厅关于2024年部分节假日安排的通知 (国务院公报 2023 年第 31 号)",
    ],
    periods: [
      p("元旦", "2024-01-01", "2024-01-01"),
      // 除夕 (2024-02-09) is only encouraged as a day off, so it stays a working day here.
      p("春节", "2024-02-10", "2024-02-17", ["2024-02-04", "2024-02-18"]),
      p("清明节", "2024-04-04", "2024-04-06", ["2024-04-07"]),
      p("劳动节", "2024-05-01", "2024-05-05", ["2024-04-28", "2024-05-11"]),
      p("端午节", "2024-06-10", "2024-06-10"),
      p("中秋节", "2024-09-15", "2024-09-17", ["2024-09-14"]),
      p("国庆节", "2024-10-01", "2024-10-07", ["2024-09-29", "2024-10-12"]),
    ],
  },
  {
    year: 2025,
    number: "国办发明电〔2024〕12号",
    published: "2024-11-12",
    sources: ["https://m.gmw.cn/2024-11/12/content_1303894933.htm (Xinhua)"],
    periods: [
      p("元旦", "2025-01-01", "2025-01-01"),
      p("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
      p("清明节", "2025-04-04", "2025-04-06"),
      p("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"]),
      p("端午节", "2025-05-31", "2025-06-02"),
      p("国庆节、中秋节", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),
    ],
  },
  {
    year: 2026,
    number: "国办发明电〔2025〕7号",
    published: "2025-11-04",
    sources: ["https://politics.gmw.cn/2025-11/04/content_38391083.htm (Xinhua)", "https://epaper.zsnews.cn/epaper/zsrb/paperdate/20251105/part/1/articleid/3.html"],
    periods: [
      p("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
      p("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
      p("清明节", "2026-04-04", "2026-04-06"),
      p("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
      p("端午节", "2026-06-19", "2026-06-21"),
      p("中秋节", "2026-09-25", "2026-09-27"),
      p("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
    ],
  },
];

/** The years the shipped notices arrange. */
export const CN_MAINLAND_COVERAGE = { from: 2021, to: 2026 } as const;
