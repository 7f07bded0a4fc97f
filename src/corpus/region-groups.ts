// Region groups as data (东北三省, 京津冀, 长三角 …): names a question may use for several regions at
// once, each expanding to the canonical names of its members. Read by question understanding and by the
// answers across regions from the targets table.
import { escapeRegExp } from './normalize-text.ts';

export interface RegionGroup {
  id: string;
  /** The name the answer uses. */
  name: string;
  /** Other ways a question writes it (simplified Chinese; traditional is converted before lookup). */
  aliases: string[];
  /** English names, matched case-insensitively as whole words. */
  english: string[];
  /** Canonical region names, in the order answers list them. */
  members: string[];
}

export const REGION_GROUPS: readonly RegionGroup[] = [
  { id: 'northeast', name: '东北三省', aliases: ['东北三省', '东三省', '东北地区'], english: ['Northeast China', 'the Northeast', 'three northeastern provinces', 'northeastern provinces'], members: ['辽宁省', '吉林省', '黑龙江省'] },
  { id: 'jingjinji', name: '京津冀', aliases: ['京津冀'], english: ['Jing-Jin-Ji', 'Jingjinji', 'Beijing-Tianjin-Hebei'], members: ['北京市', '天津市', '河北省'] },
  { id: 'yangtze_delta', name: '长三角', aliases: ['长三角三省一市', '长三角', '长江三角洲', '三省一市', '江浙沪皖', '沪苏浙皖', '苏浙沪皖', '江浙皖沪'], english: ['Yangtze River Delta', 'Yangtze Delta'], members: ['上海市', '江苏省', '浙江省', '安徽省'] },
  { id: 'jiangzhehu', name: '江浙沪', aliases: ['江浙沪'], english: [], members: ['上海市', '江苏省', '浙江省'] },
  { id: 'pearl_delta', name: '珠三角', aliases: ['珠三角', '珠江三角洲'], english: ['Pearl River Delta'], members: ['广东省'] },
  { id: 'chengyu', name: '成渝', aliases: ['成渝地区', '成渝', '川渝'], english: ['Chengdu-Chongqing', 'Sichuan-Chongqing'], members: ['四川省', '重庆市'] },
  { id: 'east', name: '东部地区', aliases: ['东部地区', '东部省份', '东部沿海'], english: ['eastern provinces', 'eastern China', 'eastern region'], members: ['北京市', '天津市', '河北省', '上海市', '江苏省', '浙江省', '福建省', '山东省', '广东省', '海南省'] },
  { id: 'central', name: '中部地区', aliases: ['中部地区', '中部六省', '中部省份'], english: ['central provinces', 'central China'], members: ['山西省', '安徽省', '江西省', '河南省', '湖北省', '湖南省'] },
  { id: 'west', name: '西部地区', aliases: ['西部地区', '西部省份', '西部十二省区市'], english: ['western provinces', 'western China', 'western region'], members: ['内蒙古自治区', '广西壮族自治区', '重庆市', '四川省', '贵州省', '云南省', '西藏自治区', '陕西省', '甘肃省', '青海省', '宁夏回族自治区', '新疆维吾尔自治区'] },
  { id: 'northwest', name: '西北五省区', aliases: ['西北五省区', '西北五省', '西北地区'], english: ['Northwest China', 'northwestern provinces'], members: ['陕西省', '甘肃省', '青海省', '宁夏回族自治区', '新疆维吾尔自治区'] },
  { id: 'southwest', name: '西南地区', aliases: ['西南地区'], english: ['Southwest China', 'southwestern provinces'], members: ['重庆市', '四川省', '贵州省', '云南省', '西藏自治区'] },
  { id: 'municipalities', name: '直辖市', aliases: ['四个直辖市', '四大直辖市', '直辖市'], english: ['municipalities', 'the four municipalities'], members: ['北京市', '天津市', '上海市', '重庆市'] },
  { id: 'autonomous_regions', name: '五个自治区', aliases: ['五个自治区', '五大自治区', '民族自治区'], english: ['autonomous regions'], members: ['内蒙古自治区', '广西壮族自治区', '西藏自治区', '宁夏回族自治区', '新疆维吾尔自治区'] },
];

export interface GroupMention {
  group: RegionGroup;
  /** Offset and length of the mention in the text. */
  index: number;
  length: number;
}


const MATCHERS = REGION_GROUPS.flatMap((group) => [
  ...group.aliases.map((alias) => ({ group, pattern: new RegExp(escapeRegExp(alias), 'g') })),
  ...group.english.map((name) => ({ group, pattern: new RegExp(`(?<![A-Za-z])${escapeRegExp(name)}(?![A-Za-z])`, 'gi') })),
]).sort((left, right) => right.pattern.source.length - left.pattern.source.length);

/** Region groups a text names, longest mention first where two overlap, in order of mention. */
export function findRegionGroups(text: string): GroupMention[] {
  const taken = new Array<boolean>(text.length).fill(false);
  const found: GroupMention[] = [];
  for (const { group, pattern } of MATCHERS) {
    for (const match of text.matchAll(pattern)) {
      const index = match.index ?? 0;
      const end = index + match[0].length;
      if (taken.slice(index, end).some(Boolean)) continue;
      taken.fill(true, index, end);
      if (!found.some((mention) => mention.group.id === group.id)) found.push({ group, index, length: match[0].length });
    }
  }
  return found.sort((left, right) => left.index - right.index);
}

export function getRegionGroup(idOrName: string): RegionGroup | undefined {
  const lower = idOrName.trim().toLowerCase();
  return REGION_GROUPS.find((group) => group.id === lower || group.name === idOrName.trim() || group.aliases.includes(idOrName.trim()) || group.english.some((name) => name.toLowerCase() === lower));
}
