// A report's region, level, parent and year read from its title and opening lines
// (`2025年南京市政府工作报告`, `——2025年1月…在南京市第十七届人民代表大会第四次会议上`). Pure.
import { createHash } from 'node:crypto';
import type { RegionLevel } from '../types.ts';
import { DocumentError } from './document-error.ts';
import { findGazetteerPlaces } from './gazetteer.ts';
import { listParagraphs, readMetadata } from './parse-report.ts';
import { listRegions, resolveRegion, type RegionEntry } from './regions.ts';

export interface DetectedMetadata {
  /** The region's name as the document writes it (`南京市`), when found. */
  regionName?: string;
  year?: number;
  date?: string;
  meeting?: string;
  /** Where each value came from, for the confirmation a user sees. */
  evidence: { region?: string; year?: string };
}

const TITLE = /^(?:(\d{4})\s*年\s*)?([\u3400-\u9fff]{2,20}?)?(?:\s*(\d{4})\s*年)?\s*(?:人民)?政府工作报告$/;
const MEETING_REGION = /^([\u3400-\u9fff]{2,20}?)第[一二三四五六七八九十百\d]+届人民代表大会/;
const SPEAKING_FOR = /我代表([\u3400-\u9fff]{2,20}?)人民政府(?:，)?向大会报告/;
const REVIEW_YEAR = /^(?:[一二三四五六七八九十]{1,3}、)?(\d{4})年(?:工作)?回顾/;
const PLAN_YEAR = /^(?:[一二三四五六七八九十]{1,3}、)?(\d{4})年(?:主要目标|重点工作|工作安排|主要任务|经济社会发展)/;

/** Reads what the opening lines say; nothing is guessed from elsewhere in the text. */
export function detectMetadata(text: string): DetectedMetadata {
  const opening = listParagraphs(text).slice(0, 15).map((paragraph) => paragraph.text.trim());
  const evidence: DetectedMetadata['evidence'] = {};
  const result: DetectedMetadata = { evidence };
  for (const line of opening) {
    const title = TITLE.exec(line.replace(/[《》\s]/g, ''));
    if (!title) continue;
    const year = title[1] ?? title[3];
    if (year) {
      result.year = Number(year);
      evidence.year = line;
    }
    if (title[2] && title[2] !== '国务院') {
      result.regionName = title[2];
      evidence.region = line;
    } else if (title[2] === '国务院') {
      result.regionName = '全国';
      evidence.region = line;
    }
    break;
  }
  const metadata = readMetadata(text);
  if (metadata.date) {
    result.date = metadata.date;
    if (result.year === undefined) {
      result.year = Number(metadata.date.slice(0, 4));
      evidence.year = `——${metadata.date}`;
    }
  }
  if (metadata.meeting) {
    result.meeting = metadata.meeting;
    const meetingRegion = /全国人民代表大会/.test(metadata.meeting) ? '全国' : MEETING_REGION.exec(metadata.meeting)?.[1];
    if (meetingRegion && result.regionName === undefined) {
      result.regionName = meetingRegion;
      evidence.region = metadata.meeting;
    }
  }
  if (result.regionName === undefined) {
    const speaking = SPEAKING_FOR.exec(text.slice(0, 3000))?.[1];
    if (speaking && !/^(?:省|市|区|县|自治区)$/.test(speaking)) {
      result.regionName = speaking;
      evidence.region = `我代表${speaking}人民政府`;
    }
  }
  if (result.year === undefined) {
    for (const { text: line } of listParagraphs(text)) {
      const plan = PLAN_YEAR.exec(line);
      if (plan) {
        result.year = Number(plan[1]);
        evidence.year = line;
        break;
      }
      const review = REVIEW_YEAR.exec(line);
      if (review) {
        result.year = Number(review[1]) + 1;
        evidence.year = `${line}（回顾上一年）`;
        break;
      }
    }
  }
  return result;
}

/** The level a region's name implies: 省/自治区/特别行政区 a province, anything else (市, 县, 区, 旗) a city. */
export function levelFromName(name: string): RegionLevel {
  if (name === '全国') return 'national';
  return /(?:省|自治区|特别行政区)$/.test(name) ? 'province' : 'city';
}

/** A stable ASCII slug for a region the table does not know (report and passage ids use it). */
export function slugForName(name: string): string {
  return `region-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** How often the text names a region of the table, by its name or an alias of two characters or more. */
function mentions(entry: RegionEntry, text: string): number {
  let count = 0;
  for (const pattern of [entry.name, ...entry.aliases]) if (pattern.length >= 2) count += text.split(pattern).length - 1;
  return count;
}

/** The parent of a place by the gazetteer (昆山市 → 苏州市, 苏州市 → 江苏省): the city of a county, else its province. */
function parentFromGazetteer(name: string, text: string): string | undefined {
  const parents = [...new Set(findGazetteerPlaces(name).map((place) => (place.kind === 'county' && place.city ? place.city : place.province)).filter(Boolean))];
  if (parents.length <= 1) return parents[0];
  // A name several places share (朝阳区): the one whose parent the text names most, when one does.
  const ranked = parents
    .map((parent) => ({ parent, count: text.split(parent.replace(/(?:市|省|自治区|地区|盟)$/, '')).length - 1 }))
    .sort((left, right) => right.count - left.count);
  return ranked[0]!.count > (ranked[1]?.count ?? 0) ? ranked[0]!.parent : undefined;
}

/**
 * A place's parent: by the gazetteer where it knows the place, else the region the text names most —
 * for a county-level place (县, 区, 县级市) the city it mentions most (when more than any province),
 * else the province it mentions most (at least twice), else undefined.
 */
export function detectParent(name: string, level: RegionLevel, text: string): string | undefined {
  if (level !== 'city') return undefined;
  const known = parentFromGazetteer(name, text);
  if (known) return known;
  const counts = new Map<string, number>();
  for (const entry of listRegions()) {
    if (entry.name === name || entry.level === 'national') continue;
    const count = mentions(entry, text);
    if (count >= 2) counts.set(entry.name, count);
  }
  // A city's parent is a province; a county's is the city that mentions most, else a province.
  const ranked = [...counts].sort((left, right) => right[1] - left[1]);
  const city = ranked.find(([region]) => resolveRegion(region)?.level === 'city');
  const province = ranked.find(([region]) => resolveRegion(region)?.level === 'province');
  const isCounty = /(?:县|区|旗)$/.test(name) || (city !== undefined && city[1] >= 3 && city[1] > (province?.[1] ?? 0));
  return isCounty && city ? city[0] : province?.[0];
}

/** A parent the user gave: a region of the table or a place of the gazetteer, above a city-level place. */
function checkedParent(name: string, level: RegionLevel, given: string): string {
  const parent = resolveRegion(given)?.name ?? (findGazetteerPlaces(given).length > 0 ? given : undefined);
  if (level !== 'city') throw new DocumentError('bad_parent', `${name} is a ${level === 'province' ? 'province' : 'national report'}; it has no parent. Leave the parent out.`);
  if (!parent) throw new DocumentError('bad_parent', `Parent “${given}” is neither a region of the table nor a city or province of China's gazetteer (GET /api/regions lists the regions).`);
  if (parent === name) throw new DocumentError('bad_parent', `${name} cannot be its own parent.`);
  return parent;
}

/**
 * The region entry of a report: the table's entry when the name is known (南京 → 南京市), else a new
 * region of the corpus with its level from the name and its parent (`parentGiven`, else detected).
 */
export function regionForReport(name: string, text: string, parentGiven?: string): RegionEntry {
  const known = resolveRegion(name) ?? (name.endsWith('市') ? undefined : resolveRegion(`${name}市`));
  if (known) {
    if (parentGiven && parentGiven !== known.parent && resolveRegion(parentGiven)?.name !== known.parent) {
      throw new DocumentError('bad_parent', `${known.name} is in the region table${known.parent ? ` as part of ${known.parent}` : ' with no parent'}; its parent cannot be changed. Leave the parent out.`);
    }
    return { ...known, inCorpus: true };
  }
  const level = levelFromName(name);
  const parent = parentGiven ? checkedParent(name, level, parentGiven) : detectParent(name, level, text);
  const short = name.replace(/(?:市|县|区|省|自治区)$/, '');
  return {
    name,
    slug: slugForName(name),
    level,
    ...(parent ? { parent } : {}),
    aliases: short.length >= 2 && short !== name ? [short] : [],
    english: [],
    inCorpus: true,
  };
}
