// The vocabulary of questions, as data: indicators (what a target or figure is about), their report
// terms and question triggers, English phrases mapped to report terms, and the words of time.

export interface Indicator {
  id: string;
  /** Label as the API shows it. */
  label: string;
  /** How the reports write it; the first is the preferred search term. */
  terms: string[];
  /** Words in a question (Chinese or lower-case English) that ask about it. */
  triggers: string[];
  /** Listed in `extractTargets()` and `/api/targets`. */
  target: boolean;
  /** Phrases (regular expressions) that contain a term but mean something else (`单位地区生产总值能耗`). */
  excludes?: string[];
  /** Labels of a target set for urban or rural residents only (`城镇居民人均可支配收入增长`). */
  scopeLabels?: { urban: string; rural: string };
}

// Order matters: longer, more specific indicators first (per-capita GDP before GDP).
export const INDICATORS: readonly Indicator[] = [
  { id: 'per_capita_gdp', label: '人均地区生产总值', terms: ['人均地区生产总值', '人均生产总值', '人均GDP', '人均国内生产总值'], triggers: ['人均gdp', '人均地区生产总值', '人均生产总值', 'per-capita gdp', 'per capita gdp', 'gdp per capita'], target: false },
  { id: 'gdp_growth', label: '地区生产总值增长', terms: ['地区生产总值', '国内生产总值', '生产总值', 'GDP'], triggers: ['gdp', '生产总值', '经济增长', '经济增速', '经济总量', '经济规模', 'economy', 'economic growth', 'grow', 'grew', 'growth target'], target: true, excludes: ['单位(?:地区|国内)?(?:生产总值|GDP)', '占(?:全市|全省|全区|地区|国内)?(?:生产总值|GDP)', '相当于(?:全市|全省|全区|地区|国内)?(?:生产总值|GDP)', '人均(?:地区|国内)?(?:生产总值|GDP)', '(?:生产总值|GDP)(?:的)?比[重例]'] },
  { id: 'cpi', label: '居民消费价格涨幅', terms: ['居民消费价格', 'CPI', '物价'], triggers: ['cpi', '物价', '居民消费价格', 'consumer price', 'consumer prices', 'inflation'], target: true },
  { id: 'unemployment', label: '城镇调查失业率', terms: ['城镇调查失业率', '调查失业率', '失业率'], triggers: ['失业率', '失业', 'unemployment', 'jobless'], target: true },
  { id: 'urban_jobs', label: '城镇新增就业', terms: ['城镇新增就业', '新增城镇就业', '新增就业'], triggers: ['新增就业', '城镇新增就业', '新增城镇就业', '就业', 'new urban jobs', 'urban jobs', 'jobs', 'employment'], target: true },
  { id: 'budget_revenue', label: '一般公共预算收入', terms: ['一般公共预算收入', '财政收入'], triggers: ['财政收入', '预算收入', '一般公共预算', 'fiscal revenue', 'budget revenue', 'public budget revenue', 'revenue'], target: true },
  { id: 'grain', label: '粮食产量', terms: ['粮食产量', '粮食总产量', '粮食播种面积', '粮食'], triggers: ['粮食', 'grain'], target: true },
  { id: 'rd_intensity', label: '研发经费投入强度', terms: ['研发经费', '研发投入', 'R&D', '研究与试验发展'], triggers: ['研发', 'r&d', 'research and development'], target: true },
  { id: 'fixed_investment', label: '固定资产投资增长', terms: ['固定资产投资'], triggers: ['固定资产投资', 'fixed-asset investment', 'fixed asset investment'], target: true },
  { id: 'retail_sales', label: '社会消费品零售总额增长', terms: ['社会消费品零售总额', '社零'], triggers: ['社零', '社会消费品零售', '消费品零售', 'retail sales', 'retail'], target: true },
  { id: 'trade', label: '进出口总额', terms: ['进出口', '外贸'], triggers: ['外贸', '进出口', '出口', '进口', 'foreign trade', 'trade', 'import', 'imports', 'export', 'exports'], target: true },
  { id: 'income', label: '居民人均可支配收入增长', terms: ['人均可支配收入', '居民收入'], triggers: ['人均可支配收入', '可支配收入', '居民收入', 'disposable income', 'income'], target: true, scopeLabels: { urban: '城镇居民人均可支配收入增长', rural: '农村居民人均可支配收入增长' } },
  { id: 'foreign_investment', label: '实际使用外资', terms: ['实际使用外资', '利用外资', '外资', '外商直接投资'], triggers: ['外资', 'foreign capital', 'foreign investment', 'fdi'], target: true },
  { id: 'industrial_output', label: '规模以上工业增加值', terms: ['规模以上工业增加值', '规上工业增加值', '工业增加值'], triggers: ['规上工业', '规模以上工业', '工业增加值', 'industrial output', 'industrial value added'], target: true },
  { id: 'special_bonds', label: '地方政府专项债券', terms: ['地方政府专项债券', '专项债券', '专项债'], triggers: ['专项债', 'special bonds', 'special-purpose bonds'], target: false },
  { id: 'central_investment', label: '中央预算内投资', terms: ['中央预算内投资'], triggers: ['中央预算内投资', 'central budget investment'], target: false },
  { id: 'cross_border_ecommerce', label: '跨境电商', terms: ['跨境电商'], triggers: ['跨境电商', 'cross-border e-commerce', 'cross border e-commerce', 'e-commerce'], target: false },
  // Exports alone (福建 `出口增长5.5%左右`): not 进出口, whose terms no longer claim `出口`.
  { id: 'exports', label: '出口增长', terms: ['出口'], triggers: ['出口增长', '出口目标', 'export growth'], target: true, excludes: ['进出口'] },
  { id: 'energy_intensity', label: '单位地区生产总值能耗降低', terms: ['单位地区生产总值能耗', '单位生产总值能耗', '单位GDP能耗', '单位国内生产总值能耗', '能耗强度'], triggers: ['能耗', 'energy intensity', 'energy consumption per unit'], target: true },
];

/** English question words and phrases → the report terms to search for (lower-case keys). */
export const ENGLISH_TERMS: readonly [string, string[]][] = [
  ['surveyed urban unemployment', ['城镇调查失业率']],
  ['new urban jobs', ['城镇新增就业']],
  ['foreign capital', ['实际使用外资']],
  ['actually use', ['实际使用']],
  ['actually used', ['实际使用']],
  ['import and export', ['进出口总额']],
  ['imports and exports', ['进出口总额']],
  ['cross-border e-commerce', ['跨境电商']],
  ['trade volume', ['贸易额']],
  ['per-capita', ['人均']],
  ['per capita', ['人均']],
  ['us dollars', ['美元']],
  ['target', ['目标', '预期目标']],
  ['targets', ['目标', '预期目标']],
  ['goal', ['目标']],
  ['priorities', ['重点工作', '重点任务']],
  ['priority', ['重点工作']],
  ['key tasks', ['重点任务']],
  ['grow', ['增长']],
  ['grew', ['增长']],
  ['growth', ['增长']],
  ['created', ['新增']],
  ['total', ['总额']],
  ['value', ['总额']],
  ['rate', ['率']],
  ['economy', ['地区生产总值', '经济']],
  ['tourism', ['旅游']],
  ['consumption', ['消费']],
  ['investment', ['投资']],
  ['innovation', ['创新']],
  ['technology', ['科技']],
  ['manufacturing', ['制造业']],
  ['housing', ['住房']],
  ['education', ['教育']],
  ['healthcare', ['医疗']],
  ['pension', ['养老']],
  ['elderly care', ['养老']],
  ['childcare', ['托育']],
  ['ecology', ['生态']],
  ['carbon', ['碳']],
  ['energy', ['能源']],
  ['agriculture', ['农业']],
  ['rural', ['乡村']],
  ['reform', ['改革']],
  ['opening-up', ['开放']],
  ['ocean', ['海洋']],
  ['marine', ['海洋']],
  ['port', ['港口']],
  ['debt', ['债务']],
  ['deficit', ['赤字率']],
  ['bonds', ['债券']],
];

/** Words that place a question in the year of the plan (2024) or of the review (2023). */
export const PLAN_WORDS: readonly string[] = ['今年', '2024', '本年', '目标', '预期', '计划', '打算', '将', '要', '安排', '重点工作', '重点任务', 'target', 'plan', 'will', 'aim', 'goal', 'this year', 'priorit'];
export const REVIEW_WORDS: readonly string[] = ['去年', '2023', '上年', '过去一年', '一年来', '完成了', '实现了', '达到了', 'last year', 'in 2023', 'did ', 'was ', 'were ', 'grew', 'created', 'actually used', 'actually use'];
