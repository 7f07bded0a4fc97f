// Words too common in questions or reports to help ranking. Data only.
export const STOPWORDS: ReadonlySet<string> = new Set([
  '的', '了', '和', '与', '及', '是', '在', '有', '对', '为', '将', '把', '被', '从', '向', '等', '也', '都', '要',
  '着', '之', '其', '以', '而', '或', '并', '于', '上', '中', '下', '个', '这', '那', '些', '我们', '我', '你', '他',
  '什么', '多少', '哪些', '哪个', '怎么', '怎样', '如何', '是否', '吗', '呢', '吧', '啊', '么', '请', '问', '一下',
  '分别', '各', '各是', '分别是', '定', '定的', '具体', '主要', '情况', '方面', '有关', '关于', '今年', '去年', '明年',
  '本年', '全年', '提出', '一个', '怎么样', '多大', '几', '第几', '打算', '准备', '进行', '哪', '还', '又', '呀',
  'the', 'a', 'an', 'of', 'in', 'on', 'for', 'to', 'and', 'or', 'is', 'are', 'was', 'were', 'be', 'been', 'what',
  'which', 'how', 'many', 'much', 'does', 'do', 'did', 'its', 'it', 'this', 'that', 'these', 'those', 'by', 'with',
  'as', 'at', 'from', 'about', 'set', 'sets', 'there', 'their', 'has', 'have', 'had', 'will', 'would', 'can', 'could',
  'year', 'years', 'and', 'what\'s', 's',
]);
