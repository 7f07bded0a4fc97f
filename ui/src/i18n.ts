// Every piece of interface text, in Chinese (the default) and English, and the current language.

const zh = {
  appTitle: '政府工作报告助手',
  appSubtitle: '2024年政府工作报告 · 有出处的问答',
  navChat: '对话',
  navPriorities: '地区重点',
  navTargets: '目标一览',
  languageToggle: 'EN',
  languageToggleLabel: 'Switch to English',
  newConversation: '新对话',
  regionAuto: '自动识别地区',
  regionLabel: '地区',
  regionGroupNational: '全国',
  regionGroupProvince: '省、自治区、直辖市',
  regionGroupCity: '城市',
  openPriorities: '查看重点',
  askPlaceholder: '向政府工作报告提问，中英文均可…',
  send: '发送',
  stop: '停止',
  emptyQuestion: '请输入问题后再发送。',
  questionTooLong: '问题太长了，请精简到 {max} 字以内。',
  welcomeTitle: '问问各地的政府工作报告',
  welcomeBody: '回答简短并标注出处，点击 [n] 即可查看原文段落。',
  suggestionsTitle: '可以这样问',
  browseLead: '或者浏览：',
  suggestions: [
    '2024年全国GDP增长目标是多少？',
    '江苏省2024年的重点工作有哪些？',
    '苏州今年在科技创新方面有哪些举措？',
    '广西2024年城镇新增就业目标是多少？',
  ],
  you: '你',
  assistant: '助手',
  thinking: '正在检索报告…',
  modeExtractive: '原文摘录 · 未用模型',
  modeExtractiveHint: '答案直接摘自报告原文，没有使用大模型',
  modeLlm: '模型生成',
  modeLlmHint: '由大模型根据检索到的段落撰写',
  regionsResolved: '地区',
  regionsAll: '全部报告',
  sources: '来源',
  copy: '复制',
  copied: '已复制',
  copyFailed: '复制失败',
  stopped: '已停止回答。',
  notGrounded: '报告中没有找到直接回答这个问题的内容。',
  flagged: '以下数字未在引用段落中找到，请核对：{numbers}',
  answerFailed: '回答失败：{message}',
  rateLimited: '提问太频繁了，请稍等片刻再试。',
  serverUnreachable: '无法连接到服务器，正在重试…',
  serverReconnected: '已重新连接服务器。',
  serverStarting: '服务器正在加载报告索引，请稍候…',
  ackTimeout: '服务器没有响应，请稍后重试。',
  notConnected: '尚未连接到服务器，请稍后再试。',
  citationLabel: '查看来源 {n}',
  panelTitle: '原文段落',
  panelClose: '关闭',
  panelLoading: '正在加载原文…',
  panelLoadFailed: '原文加载失败：{message}',
  panelContextNote: '高亮部分为引用段落，前后为相邻原文。',
  prioritiesTitle: '{region} 2024年重点',
  prioritiesPick: '选择一个地区，查看其2024年主要目标和重点任务。',
  prioritiesTargets: '主要预期目标',
  prioritiesTasks: '重点任务',
  prioritiesNoTargets: '报告中未整理出量化目标。',
  prioritiesLoading: '正在生成摘要…',
  prioritiesFailed: '无法加载该地区的重点：{message}',
  prioritiesNotInCorpus: '资料库中暂无该地区的报告。',
  prioritiesAsk: '就该地区提问',
  prioritiesOpenTarget: '查看原文',
  targetsTitle: '2024年主要目标一览',
  targetsSubtitle: '各地区预期目标对比，虚线为全国目标。点击地区查看其重点。',
  targetsIndicator: '指标',
  targetsLoading: '正在加载目标…',
  targetsFailed: '无法加载目标数据：{message}',
  targetsEmpty: '没有地区给出该指标的数值。',
  targetsNational: '全国目标',
  targetsRegions: '{count} 个地区',
  targetsOriginal: '原文',
  // ---- 目标一览 table, filters, chart and CSV (issue 11) ----
  targetsIntro: '各地区2024年主要预期目标：表格可按数值排序、按指标、层级和区域筛选；点击地区或数值查看原文段落。',
  targetsFilters: '筛选',
  targetsAllIndicators: '全部指标',
  targetsLevel: '层级',
  targetsAllLevels: '全部层级',
  targetsGroup: '区域',
  targetsAllGroups: '全部地区',
  targetsCsv: '导出 CSV',
  targetsColumnRegion: '地区',
  targetsColumnIndicator: '指标',
  targetsColumnValue: '目标（原文）',
  targetsColumnQualifier: '限定词',
  targetsSortBy: '按数值排序',
  targetsSortedDesc: '数值从高到低',
  targetsSortedAsc: '数值从低到高',
  targetsTableCaption: '2024年主要预期目标表',
  targetsRowsCount: '{count} 条目标',
  targetsNoRows: '没有符合筛选条件的目标。',
  targetsOpenPassage: '查看原文：{what}',
  targetsScopeUrban: '城镇',
  targetsScopeRural: '农村',
  targetsChartPick: '选择一个指标即可查看图表。',
  targetsChartKeys: '用方向键逐个查看，回车打开该地区重点',
  targetsChartClick: '点击查看该地区重点',
  targetsNationalLine: '虚线为全国目标',
  targetsNationalApart: '全国为总量，单列，不计入图表比例',
  prioritiesTargetsTable: '本地区{year}年主要预期目标',
  /** Glosses shown after a qualifier (none in Chinese: the word is its own meaning). */
  targetsQualifiers: {} as Record<string, string>,
  // ---- end of issue 11 block ----
  // ---- issue 12: the report year of the targets and the priorities (several years of reports) ----
  targetsTitleYear: '{year}年主要目标一览',
  targetsIntroYear: '各地区{year}年主要预期目标：表格可按数值排序、按指标、层级和区域筛选；点击地区或数值查看原文段落。',
  targetsTableCaptionYear: '{year}年主要预期目标表',
  targetsYear: '年份',
  targetsYearLatest: '各地区最新',
  yearOption: '{year}年',
  yearsSeparator: '、',
  prioritiesTitleYear: '{region} {year}年重点',
  prioritiesYear: '报告年份',
  // ---- end of issue 12 block ----
  // --- issue 14: kept conversations, exports, coverage, refusals (begin) ---
  yearBadge: '2024年政府工作报告',
  appTitleShort: '政府工作报告助手',
  refusalTitle: '报告中没有这个问题的答案',
  refusalClosest: '报告中最接近的内容',
  refusalSources: '检索过的段落（{count}）',
  quotedPassage: '引文',
  quotedSentence: '原句',
  exportLabel: '导出',
  exportMarkdown: 'Markdown',
  exportWord: 'Word',
  exportConversation: '导出整个对话',
  exportFailed: '导出失败：{message}',
  exportedFrom: '导出自政府工作报告助手 · {date}',
  copyLink: '复制链接',
  linkCopied: '链接已复制',
  linkReasked: '这条链接的回答不在本浏览器中，已按链接里的问题重新提问。',
  linkMissing: '没有找到这条链接指向的对话。',
  historyButton: '对话记录',
  historyTitle: '保存在本浏览器中的对话',
  historyEmpty: '还没有保存的对话。提问后，对话会自动保存在这里。',
  historyCount: '{count} 个问答',
  historyCurrent: '当前',
  rename: '重命名',
  renameSave: '保存',
  renameCancel: '取消',
  deleteConversation: '删除',
  deleted: '已删除“{title}”。',
  undo: '撤销',
  newStarted: '已开始新对话，原对话保存在“对话记录”中。',
  coverageTitle: '资料库收录',
  coverageYear: '{year}年政府工作报告',
  coverageNational: '国务院政府工作报告（全国）',
  coverageProvinces: '{count}个省、自治区、直辖市',
  coverageCities: '{count}个城市：{names}',
  coverageReports: '共{count}份报告',
  coverageShowAll: '查看全部地区',
  coverageLoading: '正在读取资料库…',
  panelQuoteNote: '标黄的是回答引用的句子；浅色底为所引段落，前后为相邻原文。',
  // --- issue 14 (end) ---
  indicators: {
    gdp_growth: '地区生产总值增长',
    cpi: '居民消费价格涨幅',
    urban_jobs: '城镇新增就业',
    unemployment: '城镇调查失业率',
    budget_revenue: '一般公共预算收入增长',
    grain: '粮食产量',
    rd_intensity: '研发投入强度',
    fixed_investment: '固定资产投资增长',
    retail_sales: '社会消费品零售总额增长',
    trade: '进出口增长',
    income: '居民人均可支配收入增长',
    exports: '出口增长',
    industrial_output: '规上工业增加值增长',
    energy_intensity: '单位GDP能耗降低',
    foreign_investment: '实际使用外资',
  } as Record<string, string>,
  errorCodes: {
    invalid_input: '问题格式不正确。',
    not_ready: '服务器仍在加载索引，请稍后再试。',
    rate_limited: '提问太频繁了，请稍等片刻再试。',
    model_failed: '模型调用失败。',
    internal: '服务器内部错误。',
    not_found: '没有找到。',
  } as Record<string, string>,
};

export type Messages = typeof zh;

const en: Messages = {
  appTitle: 'Government Work Report Assistant',
  appSubtitle: '2024 government work reports · answers with sources',
  navChat: 'Chat',
  navPriorities: 'Priorities',
  navTargets: 'Targets',
  languageToggle: '中文',
  languageToggleLabel: '切换到中文',
  newConversation: 'New chat',
  regionAuto: 'Detect region',
  regionLabel: 'Region',
  regionGroupNational: 'National',
  regionGroupProvince: 'Provinces',
  regionGroupCity: 'Cities',
  openPriorities: 'Priorities',
  askPlaceholder: 'Ask the government work reports, in English or Chinese…',
  send: 'Send',
  stop: 'Stop',
  emptyQuestion: 'Please type a question first.',
  questionTooLong: 'That question is too long; please keep it under {max} characters.',
  welcomeTitle: 'Ask the government work reports',
  welcomeBody: 'Short answers with sources — click a [n] marker to read the passage.',
  suggestionsTitle: 'Try asking',
  browseLead: 'Or browse:',
  suggestions: [
    'What is the national GDP growth target for 2024?',
    'What are Jiangsu’s key tasks for 2024?',
    'How does Suzhou plan to promote innovation this year?',
    '广西2024年城镇新增就业目标是多少？',
  ],
  you: 'You',
  assistant: 'Assistant',
  thinking: 'Searching the reports…',
  modeExtractive: 'Quoted from the reports · no model',
  modeExtractiveHint: 'No language model was used: the answer is quoted from the report passages',
  modeLlm: 'Model',
  modeLlmHint: 'Written by a language model from the retrieved passages',
  regionsResolved: 'Regions',
  regionsAll: 'All reports',
  sources: 'Sources',
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Copy failed',
  stopped: 'Answer stopped.',
  notGrounded: 'The reports do not directly answer this question.',
  flagged: 'These numbers were not found in the cited passages; please check: {numbers}',
  answerFailed: 'The answer failed: {message}',
  rateLimited: 'Too many questions — please wait a moment and try again.',
  serverUnreachable: 'Cannot reach the server; retrying…',
  serverReconnected: 'Reconnected to the server.',
  serverStarting: 'The server is still loading the report index…',
  ackTimeout: 'The server did not respond; please try again.',
  notConnected: 'Not connected to the server yet; please try again shortly.',
  citationLabel: 'Open source {n}',
  panelTitle: 'Passage',
  panelClose: 'Close',
  panelLoading: 'Loading the passage…',
  panelLoadFailed: 'Could not load the passage: {message}',
  panelContextNote: 'The highlighted passage is shown with its neighbouring text.',
  prioritiesTitle: '{region}: 2024 priorities',
  prioritiesPick: 'Pick a region to see its 2024 targets and key tasks.',
  prioritiesTargets: 'Main targets',
  prioritiesTasks: 'Key tasks',
  prioritiesNoTargets: 'No quantified targets were found in the report.',
  prioritiesLoading: 'Summarising…',
  prioritiesFailed: 'Could not load the priorities: {message}',
  prioritiesNotInCorpus: 'There is no report for this region in the corpus.',
  prioritiesAsk: 'Ask about this region',
  prioritiesOpenTarget: 'Open passage',
  targetsTitle: '2024 targets at a glance',
  targetsSubtitle: 'Targets across regions; the dashed line is the national target. Click a region for its priorities.',
  targetsIndicator: 'Indicator',
  targetsLoading: 'Loading targets…',
  targetsFailed: 'Could not load the targets: {message}',
  targetsEmpty: 'No region gives a number for this indicator.',
  targetsNational: 'National target',
  targetsRegions: '{count} regions',
  targetsOriginal: 'As written',
  // ---- 目标一览 table, filters, chart and CSV (issue 11) ----
  targetsIntro: 'Every region’s 2024 main targets: sort the table by value, filter by indicator, level and region group; a region or a value opens the cited passage.',
  targetsFilters: 'Filters',
  targetsAllIndicators: 'All indicators',
  targetsLevel: 'Level',
  targetsAllLevels: 'All levels',
  targetsGroup: 'Group',
  targetsAllGroups: 'All regions',
  targetsCsv: 'Export CSV',
  targetsColumnRegion: 'Region',
  targetsColumnIndicator: 'Indicator',
  targetsColumnValue: 'Target (as written)',
  targetsColumnQualifier: 'Qualifier',
  targetsSortBy: 'Sort by value',
  targetsSortedDesc: 'Highest first',
  targetsSortedAsc: 'Lowest first',
  targetsTableCaption: '2024 main targets',
  targetsRowsCount: '{count} targets',
  targetsNoRows: 'No target matches these filters.',
  targetsOpenPassage: 'Open the passage: {what}',
  targetsScopeUrban: 'urban',
  targetsScopeRural: 'rural',
  targetsChartPick: 'Pick one indicator to see its chart.',
  targetsChartKeys: 'arrow keys step through the bars, Enter opens the region’s priorities',
  targetsChartClick: 'Click for the region’s priorities',
  targetsNationalLine: 'dashed line: national target',
  targetsNationalApart: 'the national total is shown apart, off the chart’s scale',
  prioritiesTargetsTable: 'This region’s {year} main targets',
  targetsQualifiers: { 左右: 'about', 以上: 'at least', 以内: 'within', 以下: 'at most', 正增长: 'positive growth', 同步: 'in step', 稳定: 'stable' } as Record<string, string>,
  // ---- end of issue 11 block ----
  // ---- issue 12: the report year of the targets and the priorities (several years of reports) ----
  targetsTitleYear: '{year} targets at a glance',
  targetsIntroYear: 'Every region’s {year} main targets: sort the table by value, filter by indicator, level and region group; a region or a value opens the cited passage.',
  targetsTableCaptionYear: '{year} main targets',
  targetsYear: 'Year',
  targetsYearLatest: 'Latest of each region',
  yearOption: '{year}',
  yearsSeparator: ', ',
  prioritiesTitleYear: '{region}: {year} priorities',
  prioritiesYear: 'Report year',
  // ---- end of issue 12 block ----
  // --- issue 14: kept conversations, exports, coverage, refusals (begin) ---
  yearBadge: '2024 work reports',
  appTitleShort: 'Report Assistant',
  refusalTitle: 'The reports do not answer this',
  refusalClosest: 'What the reports say that comes closest',
  refusalSources: 'Passages searched ({count})',
  quotedPassage: 'Quoted',
  quotedSentence: 'In the sentence',
  exportLabel: 'Export',
  exportMarkdown: 'Markdown',
  exportWord: 'Word',
  exportConversation: 'Export the conversation',
  exportFailed: 'Export failed: {message}',
  exportedFrom: 'Exported from the Government Work Report Assistant · {date}',
  copyLink: 'Copy link',
  linkCopied: 'Link copied',
  linkReasked: 'This link’s answer is not kept in this browser, so its question was asked again.',
  linkMissing: 'The conversation this link points to was not found.',
  historyButton: 'History',
  historyTitle: 'Conversations kept in this browser',
  historyEmpty: 'No saved conversations yet. Conversations are saved here as you ask.',
  historyCount: '{count} questions',
  historyCurrent: 'current',
  rename: 'Rename',
  renameSave: 'Save',
  renameCancel: 'Cancel',
  deleteConversation: 'Delete',
  deleted: 'Deleted “{title}”.',
  undo: 'Undo',
  newStarted: 'Started a new conversation; the previous one is kept under History.',
  coverageTitle: 'The library holds',
  coverageYear: 'the {year} government work reports',
  coverageNational: 'the national report (State Council)',
  coverageProvinces: '{count} provinces, autonomous regions and municipalities',
  coverageCities: '{count} cities: {names}',
  coverageReports: '{count} reports in all',
  coverageShowAll: 'See every region',
  coverageLoading: 'Reading the library…',
  panelQuoteNote: 'The sentences the answer quoted are marked; the cited passage is shown with its neighbouring text.',
  // --- issue 14 (end) ---
  indicators: {
    gdp_growth: 'GDP growth',
    cpi: 'CPI increase',
    urban_jobs: 'New urban jobs',
    unemployment: 'Surveyed urban unemployment',
    budget_revenue: 'Budget revenue growth',
    grain: 'Grain output',
    rd_intensity: 'R&D intensity',
    fixed_investment: 'Fixed-asset investment growth',
    retail_sales: 'Retail sales growth',
    trade: 'Foreign trade growth',
    income: 'Disposable income growth',
    exports: 'Export growth',
    industrial_output: 'Industrial value added growth',
    energy_intensity: 'Energy intensity reduction',
    foreign_investment: 'Foreign investment',
  },
  errorCodes: {
    invalid_input: 'The question is not valid.',
    not_ready: 'The server is still loading its index; please try again shortly.',
    rate_limited: 'Too many questions — please wait a moment and try again.',
    model_failed: 'The model call failed.',
    internal: 'Internal server error.',
    not_found: 'Not found.',
  },
};

export type Language = 'zh' | 'en';
type TextKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];

const dictionaries: Record<Language, Messages> = { zh, en };
const storageKey = 'gov-report-assistant.language';
const listeners = new Set<(language: Language) => void>();

let current: Language = readStoredLanguage();

function readStoredLanguage(): Language {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function getLanguage(): Language {
  return current;
}

export function messages(): Messages {
  return dictionaries[current];
}

/** The text for `key`, with `{name}` placeholders filled from `values`. */
export function t(key: TextKey, values: Record<string, string | number> = {}): string {
  const template = dictionaries[current][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** A friendly message for a server error code, falling back to the server's own message. */
export function describeError(code: string, message: string): string {
  return dictionaries[current].errorCodes[code] ?? message;
}

export function setLanguage(language: Language): void {
  if (language === current) return;
  current = language;
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  for (const listener of listeners) listener(language);
}

export function onLanguageChange(listener: (language: Language) => void): void {
  listeners.add(listener);
}

/** Fill every `[data-i18n]` element (text) and `[data-i18n-placeholder]` / `[data-i18n-title]` attribute under `root`. */
export function translateStatic(root: ParentNode): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n as TextKey);
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-placeholder]')) {
    element.setAttribute('placeholder', t(element.dataset.i18nPlaceholder as TextKey));
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-title]')) {
    const text = t(element.dataset.i18nTitle as TextKey);
    element.setAttribute('title', text);
    element.setAttribute('aria-label', text);
  }
}
