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
  /**
   * What a percentage of it sits beside, as a regular expression (R&D intensity: 强度, or a share of 生产总值):
   * another percentage of its words is another share (`企业研发投入…占全社会比重均超过80%`).
   */
  rateContext?: string;
  /**
   * Forms reports use for it beyond its terms, as regular expressions (河南's `目标是：经济增长5.5%`: growth of
   * the economy when a figure follows, not of a named economy: `数字经济增长15%`).
   */
  reportPatterns?: string[];
  /** Indicators a report may give instead (出口 where 进出口 was asked): the closest statement of a refusal. */
  related?: string[];
  /**
   * The units its figures are written in, keyed by a word of the question ('' when none matches): a figure
   * in another unit beside its name is about something else (`新建3万亩粮食生产无人农场` is no grain output).
   * `%` is a percentage.
   */
  figureUnits?: Record<string, string[]>;
}

// Order matters: longer, more specific indicators first (per-capita GDP before GDP).
export const INDICATORS: readonly Indicator[] = [
  { id: 'per_capita_gdp', label: '人均地区生产总值', terms: ['人均地区生产总值', '人均生产总值', '人均GDP', '人均国内生产总值'], triggers: ['人均gdp', '人均地区生产总值', '人均生产总值', 'per-capita gdp', 'per capita gdp', 'gdp per capita'], target: false },
  { id: 'energy_intensity', label: '单位地区生产总值能耗', terms: ['单位地区生产总值能耗', '单位国内生产总值能耗', '单位GDP能耗', '能耗', '能耗强度', '单位生产总值能耗'], triggers: ['单位gdp能耗', '单位地区生产总值能耗', '单位国内生产总值能耗', '单位生产总值能耗', '能耗', 'energy intensity', 'energy consumption per unit', 'energy-intensity', 'per unit of gdp'], target: true },
  { id: 'gdp_growth', label: '地区生产总值增长', terms: ['地区生产总值', '国内生产总值', '生产总值', 'GDP'], triggers: ['gdp', 'gpd', '生产总值', '经济增长', '经济增速', '经济总量', '经济规模', 'economy', 'economic growth', 'economic output'], target: true, reportPatterns: ['(?:(?<![\\u4e00-\\u9fff])|(?<=全省|全市|全区|全国|我省|我市))经济增长(?=\\d)'], excludes: ['单位(?:地区|国内)?(?:生产总值|GDP)', '占(?:全市|全省|全区|地区|国内)?(?:生产总值|GDP)', '相当于(?:全市|全省|全区|地区|国内)?(?:生产总值|GDP)', '人均(?:地区|国内)?(?:生产总值|GDP)', '(?:生产总值|GDP)(?:的)?比[重例]'] },
  { id: 'cpi', label: '居民消费价格涨幅', terms: ['居民消费价格', 'CPI', '物价'], triggers: ['cpi', '物价', '居民消费价格', 'consumer price', 'consumer prices', 'inflation'], target: true },
  { id: 'unemployment', label: '城镇调查失业率', terms: ['城镇调查失业率', '调查失业率', '失业率'], triggers: ['失业率', '失业', 'unemployment', 'jobless'], target: true },
  { id: 'urban_jobs', label: '城镇新增就业', terms: ['城镇新增就业', '新增城镇就业', '新增就业'], triggers: ['新增就业', '城镇新增就业', '新增城镇就业', '就业', 'new urban jobs', 'urban jobs', 'jobs', 'employment'], target: true, figureUnits: { '': ['人'] } },
  { id: 'budget_revenue', label: '一般公共预算收入', terms: ['一般公共预算收入', '财政收入'], triggers: ['财政收入', '预算收入', '一般公共预算', 'fiscal revenue', 'budget revenue', 'public budget revenue', 'revenue'], target: true },
  { id: 'grain', label: '粮食产量', terms: ['粮食产量', '粮食总产量', '粮食播种面积', '粮食'], triggers: ['粮食', 'grain'], target: true, figureUnits: { '': ['斤', '吨'], 面积: ['亩'], area: ['亩'] } },
  { id: 'rd_intensity', label: '研发经费投入强度', terms: ['研发经费', '研发投入', 'R&D', '研究与试验发展'], triggers: ['研发', 'r&d', 'research and development'], target: true, rateContext: '强度|生产总值|GDP' },
  { id: 'fixed_investment', label: '固定资产投资增长', terms: ['固定资产投资', '固投'], triggers: ['固定资产投资', '固投', 'fixed-asset investment', 'fixed asset investment'], target: true },
  { id: 'retail_sales', label: '社会消费品零售总额增长', terms: ['社会消费品零售总额', '社零'], triggers: ['社零', '社会消费品零售', '消费品零售', 'retail sales', 'retail'], target: true },
  // Cross-border e-commerce before trade: `cross-border e-commerce trade` is not also foreign trade.
  { id: 'cross_border_ecommerce', label: '跨境电商', terms: ['跨境电商'], triggers: ['跨境电商', 'cross-border e-commerce', 'cross border e-commerce', 'e-commerce'], target: false },
  { id: 'trade', label: '进出口总额', terms: ['进出口', '外贸'], triggers: ['外贸', '进出口', '进口', 'foreign trade', 'trade', 'import', 'imports', 'export', 'exports'], target: true, related: ['exports'], figureUnits: { '': ['%', '元', '美元'] } },
  { id: 'income', label: '居民人均可支配收入增长', terms: ['人均可支配收入', '居民收入'], triggers: ['人均可支配收入', '可支配收入', '居民收入', 'disposable income', 'income'], target: true, scopeLabels: { urban: '城镇居民人均可支配收入增长', rural: '农村居民人均可支配收入增长' } },
  { id: 'foreign_investment', label: '实际使用外资', terms: ['实际使用外资', '利用外资', '外资', '外商直接投资'], triggers: ['外资', 'foreign capital', 'foreign investment', 'fdi'], target: true },
  { id: 'industrial_output', label: '规模以上工业增加值', terms: ['规模以上工业增加值', '规上工业增加值', '工业增加值'], triggers: ['规上工业', '规模以上工业', '工业增加值', 'industrial output', 'industrial value added'], target: true },
  { id: 'special_bonds', label: '地方政府专项债券', terms: ['地方政府专项债券', '专项债券', '专项债'], triggers: ['专项债', 'special bonds', 'special-purpose bonds', 'special bond', 'special-purpose bond', 'special-purpose local government bond', 'local government special bond', 'local government special-purpose bond'], target: false },
  { id: 'central_investment', label: '中央预算内投资', terms: ['中央预算内投资'], triggers: ['中央预算内投资', 'central budget investment'], target: false },
  // Exports alone (福建 `出口增长5.5%左右`): not 进出口, whose terms no longer claim `出口`.
  // 出口 alone asks about exports; 进出口 and 外贸 about trade.
  { id: 'exports', label: '出口增长', terms: ['出口'], triggers: ['出口', 'export growth'], target: true, excludes: ['进出口'], related: ['trade'] },
];

/** Latin abbreviations in a Chinese question → the words the reports write for them (`AI产业` → 人工智能). */
export const LATIN_TOPIC_TERMS: Readonly<Record<string, string>> = {
  ai: '人工智能',
  ev: '新能源汽车',
  ic: '集成电路',
  iot: '物联网',
  vr: '虚拟现实',
};

/** English question words and phrases → the report terms to search for (lower-case keys). */
export const ENGLISH_TERMS: readonly [string, string[]][] = [
  ['ultra-long special treasury bond', ['超长期特别国债']],
  ['ultra-long special treasury bonds', ['超长期特别国债']],
  ['deficit ratio', ['赤字率']],
  ['deficit-to-gdp ratio', ['赤字率']],
  ['surveyed urban unemployment', ['城镇调查失业率']],
  ['high-tech manufacturing', ['高技术制造业']],
  ['high tech manufacturing', ['高技术制造业']],
  ['digital economy', ['数字经济']],
  ['duty-free', ['免税']],
  ['duty free', ['免税']],
  ['offshore', ['离岛']],
  ['natural gas', ['天然气']],
  ['unconventional', ['非常规']],
  ['renewable', ['新能源']],
  ['new energy', ['新能源']],
  ['capacity', ['装机']],
  ['installed', ['装机']],
  ['high-tech enterprises', ['高新技术企业']],
  ['high-tech companies', ['高新技术企业']],
  ['farmland', ['高标准农田']],
  ['tourists', ['游客']],
  ['visitors', ['游客']],
  ['airport', ['机场']],
  ['passenger', ['旅客吞吐量']],
  ['railway', ['铁路']],
  ['highway', ['高速公路']],
  ['electric vehicles', ['新能源汽车']],
  ['new energy vehicles', ['新能源汽车']],
  ['semiconductor', ['集成电路']],
  ['chips', ['集成电路']],
  ['artificial intelligence', ['人工智能']],
  ['private economy', ['民营经济']],
  ['state-owned', ['国有企业']],
  ['urbanization', ['城镇化率']],
  ['forest', ['森林覆盖率']],
  ['air quality', ['空气质量']],
  ['pm2.5', ['PM2.5']],
  ['old residential', ['老旧小区']],
  ['nursery', ['托位']],
  ['schools', ['学校']],
  ['hospitals', ['医院']],
  ['tax', ['税费']],
  ['value added', ['增加值']],
  ['sales', ['销售额']],
  ['key projects', ['重点项目']],
  ['projects', ['项目']],
  ['general public budget', ['一般公共预算']],
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
export const REVIEW_WORDS: readonly string[] = ['去年', '2023', '上年', '上一年', '过去的一年', '实际增长', '实际干成', '过去一年', '一年来', '完成了', '实现了', '达到了', 'last year', 'in 2023', 'did ', 'was ', 'were ', 'grew', 'created', 'actually used', 'actually use'];

/** Words of a question that say what kind of answer it wants, tried in order (regular expressions). */
export const WANTED_PATTERNS: readonly [string, RegExp][] = [
  ['verdict', /谁(?:更|的)?(?:高|低|大|多|快)|比[\u4e00-\u9fff]{1,8}?(?:更)?(?:高|低|快|慢|多|少)(?:吗|么|嘛|不|？|\?|$)|哪个(?:省|市|地区|省份)?(?:的)?(?:更|最)?(?:高|低|大|多|快)|更高|更低|高于还是|which (?:\w+ ){0,8}(?:higher|lower|larger|bigger|faster)|higher or lower/i],
  ['rank', /排第几|第几位|第几名|排名|位次|\brank/i],
  ['measures', /举措|措施|怎么(?!样)|如何|怎样|哪些(?:安排|做法|办法|政策)|有什么(?:安排|举措|措施|政策|打算)|what (?:measures|steps|policies|actions)|how (?:will|does|do|is|are) (?!.*\b(?:much|many|fast|large|big|high)\b)/i],
  ['amount', /总量|(?<!规)规模(?!以上)|多大|(?<!零售|进出口|贸易|销售)总额|多少(?:万亿|亿|万)?元|how large|how big|\btotal\b|\bsize\b|\bhow much (?:is|was) [\w'’ ]*\b(?:gdp|economy)\b(?!\s*(?:growth|target|increase|rate))/i],
  ['count', /多少(?:个|家|所|人|万人|项|条|座|亩|万亩|户|套|人次)|how many/i],
  ['yesno', /了没|了吗|是否|有没有|能否|\b(?:did|does|has|have) \w+(?: \w+)? (?:exceed|reach|break|top|surpass)/i],
  ['figure', /多少|几|比例|比重|增速|增幅|涨幅|目标|率|how (?:much|fast)|percent|target|goal|growth|rate/i],
];

/** Questions about things the reports never cover, with the reason given. */
export const OUT_OF_SCOPE: readonly [string, RegExp][] = [
  ['people', /(?:省长|市长|县长|区长|州长|书记|主席|总理|部长|厅长|局长|总统|首相)(?:是谁|是哪位|叫什么|姓什么)|谁是.{0,10}(?:省长|市长|县长|书记|总理|主席|总统|首相)|who (?:is|was) the (?:governor|mayor|premier|party secretary|president|prime minister)/i],
  ['biography', /哪里人|籍贯|学历|毕业于|出生(?:于|在|地|年月)|哪年出生|简历|履历|年龄|多大年纪|个人经历|家庭成员|biography|\bborn\b|education background|hometown/i],
  ['request', /写(?:一首|首|一篇|篇|一段)|作(?:一首)?诗|写诗|(?:讲|说)(?:一?个)?笑话|(?:tell|write) (?:me )?(?:a|an|some) (?:joke|poem|story|essay)|\b(?:poem|joke)s?\b/i],
  ['markets', /股价|股票|涨停|跌停|大盘|A股|港股|基金净值|汇率是多少|stock price|share price|stock market/i],
  ['weather', /天气|气温|下雨|下雪|台风路径|weather|forecast/i],
];

/** Words naming urban or rural residents alone (an income question about one of them, not everyone). */
export const RESIDENT_WORDS: Record<'urban' | 'rural', RegExp> = {
  urban: /城镇(?:常住)?居民|城市居民|城镇人均|urban (?:residents|households|income)/i,
  rural: /农村(?:常住)?居民|农民|农牧民|乡村居民|农村人均|rural (?:residents|households|income)|farmers/i,
};

/** Words of a question that carry no topic (question words, time, targets in general). */
export const GENERIC_TOPIC_WORDS: ReadonlySet<string> = new Set([
  '目标', '预期', '预期目标', '主要', '重点', '多少', '增长', '增速', '增幅', '提高', '下降', '降低', '达到', '实现', '控制', '控制在',
  '完成', '实际', '计划', '力争', '安排', '方面', '情况', '工作', '报告', '政府', '政府工作', '政府工作报告', '全省', '全市', '全区',
  '全国', '多大', '排第', '第几', '分别', '哪些', '什么', '怎么', '如何', '举措', '措施', '有何', '定了', '是多少', '增长目标', '总量',
  '规模', '数量', '突破', '了没', '幅度', '干成', '上一年', '一年', '实际增长', '目标值', '具体', '指标', '定的', '多高', '要求', '发展目标',
  '有没有', '是否', '到底', '大概', '省份', '地区', '城市', '哪个', '谁', '更高', '更低', '高于', '低于', '相比', '对比', '比较',
  '总结', '一下', '概括', '呢', '多少亿', '多少元', '年均', '同比', '上升', '涨幅控制', '增加', '新增', '排名', '位次', '居', '排',
  '元', '亿元', '万元', '万人', '个', '家', '所', '项', '人次', '今年目标', '怎样', '打算', '政策', '发展', '推进', '建设', '提升',
  // What a report "says about" a topic: not the topic.
  '表述', '提法', '说法', '论述', '部署', '提到', '提及', '内容', '怎么说', '讲了', '方针', '还是', '怎么样',
]);

/** English phrases with `economy` that are not the economy as a whole (GDP): a digital economy, a marine one. */
/** Chinese names of an economy that is not the region's GDP (`数字经济增长` is not 经济增长). */
export const NOT_GDP_ECONOMY_ZH = /(?:数字|民营|海洋|县域|实体|文旅|夜间|低空|冰雪|银发|平台|循环|绿色|共享|口岸|开放型|外向型|园区|湾区|枢纽|流域|首店|假日|网络|互联网|林下)经济/g;
export const NOT_GDP_ECONOMY = /\b(?:digital|private|marine|ocean|maritime|night-time|night|low-altitude|silver|platform|real|circular|green|sharing|county|border|port|tourism) economy\b/g;

/** English names of the indicators, for English answers (values and quotes stay as the report writes them). */
export const INDICATOR_ENGLISH: Readonly<Record<string, string>> = {
  gdp_growth: 'GDP growth',
  per_capita_gdp: 'per-capita GDP',
  cpi: 'consumer price (CPI) increase',
  unemployment: 'surveyed urban unemployment rate',
  urban_jobs: 'new urban jobs',
  budget_revenue: 'general public budget revenue growth',
  grain: 'grain output',
  rd_intensity: 'R&D intensity',
  fixed_investment: 'fixed-asset investment growth',
  retail_sales: 'retail sales growth',
  trade: 'foreign trade (imports and exports) growth',
  exports: 'export growth',
  income: 'per-capita disposable income growth',
  industrial_output: 'industrial value added growth',
  energy_intensity: 'energy intensity reduction',
  foreign_investment: 'foreign investment',
  special_bonds: 'local government special bonds',
  central_investment: 'central budget investment',
  cross_border_ecommerce: 'cross-border e-commerce',
};
