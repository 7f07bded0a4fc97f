// Whether a figure answers an ask: each rule of the table in src/answer/figure-fit.ts on its own cases — a question
// as users ask it, understood as the server understands it, against a clause as the reports write it — with the
// rule that decides and how. Every rule of the table has a case it decides, so a rule no case reaches fails here.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIT_RULES, figureFit } from '../../src/answer/figure-fit.ts';
import { readFigures } from '../../src/answer/figures.ts';
import { understand, type UnderstandContext } from '../../src/understand/understand.ts';
import { realContext } from './understand-context.ts';

let context: UnderstandContext;
before(async () => {
  context = await realContext();
});

/** [question, clause, the figure as read (its start), the rule that decides, whether the figure answers]. */
type Case = [question: string, clause: string, figure: string, rule: string, fits: boolean];

const CASES: Case[] = [
  ['湖北去年GDP排全国第几？', '经济总量稳居全国第7位', '第7位', 'fit.rank', true],
  ['湖北去年GDP排全国第几？', '地区生产总值增长6%', '6%', 'fit.rank', false],
  ['内蒙古去年固定资产投资增长多少？', '固定资产投资增长1.7倍', '1.7倍', 'fit.growth_by_times', true],
  ['内蒙古去年固定资产投资是多少？', '固定资产投资增长1.7倍', '1.7倍', 'fit.growth_by_times', false],
  ["Did Jilin's grain harvest increase last year?", '粮食平均亩产958.2斤', '958.2斤', 'fit.change_for_whether_rose', false],
  ["Did Jilin's grain harvest increase last year?", '增产21.14亿斤', '21.14亿斤', 'fit.indicator_units', true],
  ['山西今年GDP增长目标是多少？', '连续5年', '5年', 'fit.rank_or_years_unasked', false],
  ['广东去年汽车产量多少？', '汽车产量增长12.5%', '12.5%', 'fit.quantity_not_rate', false],
  ['海南去年旅游收入多少？', '旅游人数、旅游收入分别增长85.1%和213.8%', '213.8%', 'fit.level_not_growth', false],
  ['江苏去年地方一般公共预算收入总额是多少？', '一般公共预算收入增长7.9%', '7.9%', 'fit.level_not_growth', false],
  ['浙江去年有多少个县市GDP超过500亿元？', '培育超500亿元的县市', '500亿元', 'fit.attributive', false],
  ['江苏累计建成多少个5G基站？', '新增5G基站6.5万个', '6.5万个', 'fit.cumulative_not_added', false],
  ['贵州今年要新建多少公里高速公路？', '高速公路通车里程达9000公里', '9000公里', 'fit.added_not_total', false],
  ['贵州去年新建了多少公里高速公路？', '新增高速公路796公里', '796公里', 'fit.unit_asked', true],
  ['山西去年挖了多少煤？', '新建智能化煤矿150座', '150座', 'fit.quantity_not_count_of_other', false],
  ['河南去年粮食产量多少？', '粮食平均亩产958.2斤', '958.2斤', 'fit.quantity_not_per_unit', false],
  ['安徽去年地区生产总值是多少？', '全员劳动生产率16万元/人以上', '16万元', 'fit.quantity_not_per_unit', false],
  ['山西去年原煤产量多少？', '煤炭产能达到12亿吨', '12亿吨', 'fit.quantity_not_capacity', false],
  ['上海去年新能源汽车产量多少？', '新能源汽车推广35.4万辆', '35.4万辆', 'fit.output_not_other_measure', false],
  ['贵州去年白酒搞了多少产值？', '清理退出白酒企业632家', '632家', 'fit.value_not_count', false],
  ['Fujian forest coverage?', '提升森林质量322万亩', '322万亩', 'fit.ratio_needs_rate', false],
  ['安徽今年全员劳动生产率目标是多少？', '全员劳动生产率16万元/人以上', '16万元', 'fit.any_figure', true],
  ['贵州今年白酒产业增加值增长多少？', '白酒产业增加值增长10%左右', '10%左右', 'fit.rate_of_indicator', true],
  ['重庆去年外贸进出口总额是多少亿元？', '实现外贸进出口7137.4亿元', '7137.4亿元', 'fit.unit_asked', true],
  ['吉林去年汽车产量多少万辆？', '红旗品牌汽车销量35.1万辆', '35.1万辆', 'fit.brand_not_region', false],
  ['How many cars did Jilin make last year?', '一汽集团汽车底盘集成与仿生2个全国重点实验室率先完成重组', '2个', 'fit.count_of_other_noun', false],
  ['吉林去年红旗汽车销量多少万辆？', '红旗品牌汽车销量35.1万辆', '35.1万辆', 'fit.any_figure', true],
  ['广东去年进出口增长多少？', '进出口总额8.3万亿元', '8.3万亿元', 'fit.rate_needs_rate', false],
  ['广东去年出口增长多少？', '出口占全国比重提高1.2个百分点', '1.2个百分点', 'fit.points_for_ratio', false],
  ['全国去年城镇化率提高了多少？', '常住人口城镇化率提高0.94个百分点', '0.94个百分点', 'fit.rate_of_indicator', true],
  ['北京去年数字经济增加值占GDP比重是多少？', '数字经济增加值增长8.5%', '8.5%', 'fit.share_needs_share', false],
  ['北京去年数字经济增加值占GDP比重是多少？', '数字经济增加值占地区生产总值比重达到42.9%', '42.9%', 'fit.rate_of_indicator', true],
  ['广东去年出口增长多少？', '出口规模占全国份额达15%', '15%', 'fit.growth_not_share', false],
  ['北京去年研发投入增长多少？', '全社会研发投入增长18%', '18%', 'fit.rate_of_indicator', true],
  ['北京今年研发投入强度目标是多少？', '研发投入强度保持在6%左右', '6%左右', 'fit.rate_of_indicator', true],
  ['北京今年研发投入强度目标是多少？', '全社会研发投入增长10%', '10%', 'fit.rate_of_indicator', false],
  ['四川去年社会消费品零售总额多少亿元？', '社会消费品零售总额增长10%', '10%', 'fit.amount_not_rate', false],
  ['全国今年赤字规模多少？', '赤字率拟按3%安排', '3%', 'fit.amount_not_rate', false],
  ['What target does Liaoning set for the share of scientific and technological achievements converted locally in 2024?', '科技成果本地转化率达到57%', '57%', 'fit.rate_of_indicator', true],
  ['江苏去年有几家企业入选世界500强？', '营业收入达到2000亿元', '2000亿元', 'fit.count_not_measure', false],
  ['上海去年外资总部有多少家？', '实际使用外资240.9亿美元', '240.9亿美元', 'fit.unit_asked', false],
  ['How many old residential compounds will Chongqing renovate in 2024?', '新开工改造城镇老旧小区4186万平方米', '4186万平方米', 'fit.count_not_measure', false],
  ['How many vegetables did Tianjin harvest in 2023?', '蔬菜产量253.7万吨', '253.7万吨', 'fit.count', true],
  ['How many special-purpose bonds will local governments issue this year?', '拟安排地方政府专项债券3.9万亿元', '3.9万亿元', 'fit.indicator_units', true],
  ['内蒙古去年固定资产投资总额是多少？', '7个盟市固定资产投资增速超过全区', '7个', 'fit.amount_not_count_of_other', false],
  ['What car output target has Anhui set for 2024?', '新建2家关键共性技术攻关类实验室', '2家', 'fit.amount_not_count_of_other', false],
  ['河南去年粮食产量多少？', '综合机械化率达到98%', '98%', 'fit.rate_of_other_indicator', false],
  ['苏州去年外资怎么样？', '实际使用外资占全省三成以上，达到30%', '30%', 'fit.portion_unasked', false],
  ['全国今年城镇新增就业目标多少个？', '城镇新增就业1200万人以上', '1200万人以上', 'fit.indicator_units', true],
  ['全国今年城镇新增就业目标多少个？', '城镇新增就业1200万元', '1200万元', 'fit.indicator_units', false],
  ['广东去年地区生产总值多少？', '地区生产总值13.57万亿元', '13.57万亿元', 'fit.indicator_units', true],
  ['全国去年一般公共预算收入多少亿元？', '一般公共预算收入21.7万亿元', '21.7万亿元', 'fit.unit_asked', true],
  ['全国去年一般公共预算收入多少亿元？', '一般公共预算收入2.1万美元', '2.1万美元', 'fit.unit_asked', false],
  ['海南去年接待游客多少人次？', '接待游客9000万人次', '9000万人次', 'fit.unit_asked', true],
  ['海南去年接待游客多少人次？', '旅游总收入超2000亿元', '2000亿元', 'fit.unit_asked', false],
  ['中欧班列去年开了多少列？', '覆盖110个城市', '110个', 'fit.unit_asked', false],
  ['江苏去年新增多少家专精特新企业？', '新增专精特新企业1200家', '1200家', 'fit.unit_asked', true],
  ['全国今年赤字规模多少？', '赤字规模4.06万亿元', '4.06万亿元', 'fit.amount', true],
  ['内蒙古去年经营主体总量是多少？', '经营主体突破246万户', '246万户', 'fit.amount', true],
  ['江苏去年有几家企业入选世界500强？', '3家企业入选世界500强', '3家', 'fit.count', true],
  ['江苏今年打算怎么发展文旅？', '建设20个文旅项目', '20个', 'fit.any_figure', true],
];

function verdict(question: string, clause: string, written: string): ReturnType<typeof figureFit> {
  const ask = understand({ question }, context).asks[0];
  assert.ok(ask, `${question}: an ask`);
  const figure = readFigures(clause).find((candidate) => candidate.text.startsWith(written));
  assert.ok(figure, `${clause}: the figure ${written}`);
  return figureFit(figure, ask, clause);
}

describe('whether a figure answers an ask', () => {
  for (const [question, clause, figure, rule, fits] of CASES) {
    test(`${rule}: ${question} — ${clause} (${figure}) ${fits ? 'answers' : 'does not answer'}`, () => {
      assert.deepEqual(verdict(question, clause, figure), { fits, rule });
    });
  }

  test('every rule of the table decides a case of its own', () => {
    const decided = new Set(CASES.map(([, , , rule]) => rule));
    assert.deepEqual(
      FIT_RULES.map((rule) => rule.name).filter((name) => !decided.has(name)),
      [],
    );
  });

  test('the rules have unique names and say what they decide', () => {
    const names = FIT_RULES.map((rule) => rule.name);
    assert.equal(new Set(names).size, names.length);
    for (const rule of FIT_RULES) assert.ok(rule.description.length > 20, rule.name);
  });
});
