// The region table, as data: every region the product can name, whether its report is in the corpus,
// its short forms and English names. Detection and the API read this table and nothing else.
import type { RegionLevel } from '../types.ts';

export interface RegionEntry {
  /** Canonical Chinese name, as in the API (`江苏省`, `苏州市`, `全国`). */
  name: string;
  /** Slug used in report and passage ids. */
  slug: string;
  level: RegionLevel;
  parent?: string;
  /** Short forms and other Chinese names a question may use (never single characters). */
  aliases: string[];
  /** English names; the first is the display name. Matched case-insensitively as whole words. */
  english: string[];
  inCorpus: boolean;
}

const province = (name: string, slug: string, aliases: string[], english: string[]): RegionEntry => ({
  name,
  slug,
  level: 'province',
  aliases,
  english,
  inCorpus: true,
});

const city = (name: string, slug: string, parent: string, english: string[], inCorpus = false): RegionEntry => ({
  name,
  slug,
  level: 'city',
  parent,
  aliases: [name.replace(/市$/, '')],
  english,
  inCorpus,
});

export const REGION_TABLE: readonly RegionEntry[] = [
  {
    name: '全国',
    slug: 'china',
    level: 'national',
    aliases: ['国家', '全国', '国务院', '中国', '我国', '中央'],
    english: ['China', 'national', 'nationwide', 'nationally', 'the country', 'State Council', 'Chinese government', 'central government', 'the central government'],
    inCorpus: true,
  },
  province('北京市', 'beijing', ['北京'], ['Beijing']),
  province('天津市', 'tianjin', ['天津'], ['Tianjin']),
  province('河北省', 'hebei', ['河北'], ['Hebei']),
  province('山西省', 'shanxi', ['山西'], ['Shanxi']),
  province('内蒙古自治区', 'inner-mongolia', ['内蒙古', '内蒙'], ['Inner Mongolia', 'Nei Mongol', 'Neimenggu']),
  province('辽宁省', 'liaoning', ['辽宁'], ['Liaoning']),
  province('吉林省', 'jilin', ['吉林'], ['Jilin']),
  province('黑龙江省', 'heilongjiang', ['黑龙江'], ['Heilongjiang']),
  province('上海市', 'shanghai', ['上海'], ['Shanghai']),
  province('江苏省', 'jiangsu', ['江苏'], ['Jiangsu']),
  province('浙江省', 'zhejiang', ['浙江'], ['Zhejiang']),
  province('安徽省', 'anhui', ['安徽'], ['Anhui']),
  province('福建省', 'fujian', ['福建'], ['Fujian']),
  province('江西省', 'jiangxi', ['江西'], ['Jiangxi']),
  province('山东省', 'shandong', ['山东'], ['Shandong']),
  province('河南省', 'henan', ['河南'], ['Henan']),
  province('湖北省', 'hubei', ['湖北'], ['Hubei']),
  province('湖南省', 'hunan', ['湖南'], ['Hunan']),
  province('广东省', 'guangdong', ['广东'], ['Guangdong']),
  province('广西壮族自治区', 'guangxi', ['广西', '广西自治区'], ['Guangxi']),
  province('海南省', 'hainan', ['海南'], ['Hainan']),
  province('重庆市', 'chongqing', ['重庆'], ['Chongqing']),
  province('四川省', 'sichuan', ['四川'], ['Sichuan']),
  province('贵州省', 'guizhou', ['贵州'], ['Guizhou']),
  province('云南省', 'yunnan', ['云南'], ['Yunnan']),
  province('西藏自治区', 'xizang', ['西藏'], ['Tibet', 'Xizang']),
  province('陕西省', 'shaanxi', ['陕西'], ['Shaanxi']),
  province('甘肃省', 'gansu', ['甘肃'], ['Gansu']),
  province('青海省', 'qinghai', ['青海'], ['Qinghai']),
  province('宁夏回族自治区', 'ningxia', ['宁夏', '宁夏自治区'], ['Ningxia']),
  province('新疆维吾尔自治区', 'xinjiang', ['新疆', '新疆自治区'], ['Xinjiang']),
  { name: '香港特别行政区', slug: 'hong-kong', level: 'province', aliases: ['香港'], english: ['Hong Kong', 'HKSAR'], inCorpus: false },
  { name: '澳门特别行政区', slug: 'macau', level: 'province', aliases: ['澳门'], english: ['Macau', 'Macao'], inCorpus: false },
  { name: '台湾省', slug: 'taiwan', level: 'province', aliases: ['台湾'], english: ['Taiwan'], inCorpus: false },
  city('苏州市', 'suzhou', '江苏省', ['Suzhou'], true),
  city('南通市', 'nantong', '江苏省', ['Nantong'], true),
  city('镇江市', 'zhenjiang', '江苏省', ['Zhenjiang'], true),
  city('南京市', 'nanjing', '江苏省', ['Nanjing']),
  city('无锡市', 'wuxi', '江苏省', ['Wuxi']),
  city('常州市', 'changzhou', '江苏省', ['Changzhou']),
  city('徐州市', 'xuzhou', '江苏省', ['Xuzhou']),
  city('扬州市', 'yangzhou', '江苏省', ['Yangzhou']),
  city('泰州市', 'taizhou-js', '江苏省', []),
  city('盐城市', 'yancheng', '江苏省', ['Yancheng']),
  city('淮安市', 'huaian', '江苏省', ["Huai'an", 'Huaian']),
  city('连云港市', 'lianyungang', '江苏省', ['Lianyungang']),
  city('宿迁市', 'suqian', '江苏省', ['Suqian']),
  city('深圳市', 'shenzhen', '广东省', ['Shenzhen']),
  city('广州市', 'guangzhou', '广东省', ['Guangzhou', 'Canton']),
  city('东莞市', 'dongguan', '广东省', ['Dongguan']),
  city('佛山市', 'foshan', '广东省', ['Foshan']),
  city('珠海市', 'zhuhai', '广东省', ['Zhuhai']),
  city('杭州市', 'hangzhou', '浙江省', ['Hangzhou']),
  city('宁波市', 'ningbo', '浙江省', ['Ningbo']),
  city('温州市', 'wenzhou', '浙江省', ['Wenzhou']),
  city('合肥市', 'hefei', '安徽省', ['Hefei']),
  city('福州市', 'fuzhou', '福建省', ['Fuzhou']),
  city('厦门市', 'xiamen', '福建省', ['Xiamen', 'Amoy']),
  city('南昌市', 'nanchang', '江西省', ['Nanchang']),
  city('济南市', 'jinan', '山东省', ['Jinan']),
  city('青岛市', 'qingdao', '山东省', ['Qingdao']),
  city('郑州市', 'zhengzhou', '河南省', ['Zhengzhou']),
  city('武汉市', 'wuhan', '湖北省', ['Wuhan']),
  city('长沙市', 'changsha', '湖南省', ['Changsha']),
  city('南宁市', 'nanning', '广西壮族自治区', ['Nanning']),
  city('海口市', 'haikou', '海南省', ['Haikou']),
  city('成都市', 'chengdu', '四川省', ['Chengdu']),
  city('贵阳市', 'guiyang', '贵州省', ['Guiyang']),
  city('昆明市', 'kunming', '云南省', ['Kunming']),
  city('拉萨市', 'lhasa', '西藏自治区', ['Lhasa']),
  city('西安市', 'xian', '陕西省', ["Xi'an", 'Xian']),
  city('兰州市', 'lanzhou', '甘肃省', ['Lanzhou']),
  city('西宁市', 'xining', '青海省', ['Xining']),
  city('银川市', 'yinchuan', '宁夏回族自治区', ['Yinchuan']),
  city('乌鲁木齐市', 'urumqi', '新疆维吾尔自治区', ['Urumqi', 'Ürümqi']),
  city('石家庄市', 'shijiazhuang', '河北省', ['Shijiazhuang']),
  city('太原市', 'taiyuan', '山西省', ['Taiyuan']),
  city('呼和浩特市', 'hohhot', '内蒙古自治区', ['Hohhot']),
  city('沈阳市', 'shenyang', '辽宁省', ['Shenyang']),
  city('大连市', 'dalian', '辽宁省', ['Dalian']),
  city('长春市', 'changchun', '吉林省', ['Changchun']),
  city('哈尔滨市', 'harbin', '黑龙江省', ['Harbin']),
];
