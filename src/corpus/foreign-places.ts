// Places outside China a question may name (美国, 日本, 纽约): countries by their Chinese and English
// names from the i18n-iso-countries locale tables (read as data: the library's lookup code is not needed),
// and the foreign cities questions name most. None has a government work report; naming one is never a
// question about China.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** China, and its parts the ISO tables list apart: these are regions, not foreign places. */
const CHINA = new Set(['CN', 'TW', 'HK', 'MO']);

/** Country names that are also Chinese words or places (中非合作, 内蒙古, 黑山县): not read as foreign places. */
const AMBIGUOUS = new Set(['中非', '蒙古', '黑山']);

/** Foreign cities by their Chinese names (a country's capital often stands for it: 华盛顿, 东京), and unions and parts of the world. */
const FOREIGN_CITIES = [
  '纽约', '华盛顿', '洛杉矶', '旧金山', '芝加哥', '波士顿', '西雅图', '休斯敦', '硅谷', '多伦多', '温哥华', '蒙特利尔',
  '伦敦', '巴黎', '柏林', '慕尼黑', '法兰克福', '罗马', '米兰', '马德里', '巴塞罗那', '阿姆斯特丹', '布鲁塞尔', '维也纳', '苏黎世', '日内瓦',
  '莫斯科', '圣彼得堡', '伊斯坦布尔', '迪拜', '阿布扎比', '利雅得', '德黑兰', '开罗', '约翰内斯堡', '内罗毕', '拉各斯',
  '东京', '大阪', '京都', '横滨', '首尔', '釜山', '平壤', '河内', '胡志明市', '曼谷', '吉隆坡', '雅加达', '马尼拉', '金边', '万象', '仰光',
  '新德里', '孟买', '班加罗尔', '卡拉奇', '伊斯兰堡', '达卡', '科伦坡', '加德满都', '阿拉木图', '阿斯塔纳', '塔什干', '乌兰巴托',
  '悉尼', '墨尔本', '奥克兰', '圣保罗', '里约热内卢', '布宜诺斯艾利斯', '墨西哥城', '利马', '圣地亚哥',
  // Unions and parts of the world: no government work report either.
  '欧盟', '欧洲', '东盟', '非洲', '拉美', '拉丁美洲', '北美', '南美', '中东', '中亚', '东南亚', '南亚',
];

/** A locale table of i18n-iso-countries: ISO code → name, or names (the official first). */
interface LocaleTable {
  countries: Record<string, string | string[]>;
}

/** Every name of every country but China's, from one locale table. */
function countryNames(locale: 'zh' | 'en'): string[] {
  const table = require(`i18n-iso-countries/langs/${locale}.json`) as LocaleTable;
  return Object.entries(table.countries)
    .filter(([code]) => !CHINA.has(code))
    .flatMap(([, names]) => (Array.isArray(names) ? names : [names]));
}

/** Countries written as abbreviations in English questions, case-sensitive (`US` is not `us`). */
export const FOREIGN_ABBREVIATIONS = /(?<![A-Za-z.])(?:U\.S\.(?:A\.)?|USA|US|UK|U\.K\.)(?![A-Za-z])/g;

let names: string[] | undefined;
let englishNames: string[] | undefined;

/** Every foreign place name, longest first (`美国` and `美利坚合众国`, `韩国`, `纽约`). */
export function foreignPlaceNames(): readonly string[] {
  if (names) return names;
  const fromTables = countryNames('zh').filter((name) => /^[\u4e00-\u9fff]{2,}$/.test(name) && !AMBIGUOUS.has(name));
  names = [...new Set([...fromTables, ...FOREIGN_CITIES])].sort((left, right) => right.length - left.length);
  return names;
}

/** Every foreign country's English names of four letters or more (`Japan`, `United States of America`), China's parts left out. */
export function foreignEnglishNames(): readonly string[] {
  if (englishNames) return englishNames;
  const fromTables = countryNames('en').filter((name) => /^[A-Za-z][A-Za-z .'-]{3,}$/.test(name) && !/china/i.test(name));
  englishNames = [...new Set([...fromTables, 'America'])].sort((left, right) => right.length - left.length);
  return englishNames;
}
