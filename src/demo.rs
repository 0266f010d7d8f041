//! Synthetic, deterministic demo ledger (环评管理台账) for Shangluo (商洛市) that reproduces the
//! figures published for the first half of 2023: 239 key projects, 81 exempt, 158 required,
//! 59 point-to-point, 1204.23 亿元, and 153 of 158 accepted or decided by 2023-06-30.
//!
//! Everything is generated from the constant tables below with a fixed-seed splitmix64, so every
//! call returns the same ledger. Money is exact (hundredths of 万元 in `i64`).

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

use crate::domain::calendar::WorkCalendar;
use crate::domain::classification::{Catalog, ClassifyInput, classify, fact_specs};
use crate::domain::identifiers::{CREDIT_ALPHABET, CreditCode};
pub use crate::domain::ledger::Tier;

pub mod data;

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// `organizations[0..OWNER_DEMO_ORGS]` are the organisations of the demo accounts owner1…owner5.
pub const OWNER_DEMO_ORGS: usize = 5;

/// The date the published figures are measured at.
pub const PUBLISHED_AS_OF: NaiveDate = ymd(2023, 6, 30);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoLedger {
    pub organizations: Vec<DemoOrganization>,
    pub projects: Vec<DemoProject>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoOrganization {
    pub name: String,
    /// 统一社会信用代码 (GB 32100-2015), check character valid.
    pub credit_code: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoProject {
    pub name: String,
    /// 投资项目统一代码, `YYMM-611xxx-04-01-NNNNNN`.
    pub project_code: String,
    /// Index into `DemoLedger::organizations`.
    pub organization: usize,
    pub county_code: &'static str,
    pub provincial: bool,
    pub municipal: bool,
    /// One of the keys of [`crate::domain::ledger::INDUSTRIES`].
    pub industry: &'static str,
    /// Total investment in hundredths of 万元.
    pub investment_hundredths: i64,
    /// 点对点服务 with a service sheet (服务单).
    pub point_to_point: bool,
    /// 未批先建.
    pub built_before_approval: bool,
    pub penalty_settled: bool,
    pub listed_on: NaiveDate,
    pub status_verified_on: NaiveDate,
    pub classification: DemoClassification,
    /// `None` exactly for exempt projects.
    pub filing: Option<DemoFiling>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoClassification {
    pub rows: Vec<u16>,
    /// Facts in the engine's vocabulary ([`crate::domain::classification::fact_specs`]; always a
    /// JSON object).
    pub facts: Value,
    /// The officer's hand-chosen tier for each row that has no structured rule (empty when
    /// every row has one).
    pub manual_clauses: BTreeMap<u16, Tier>,
    pub tier: Tier,
    /// The engine's basis, after a sentence on what the project is (and the policy exemption,
    /// if any).
    pub basis: String,
    pub policy_exemption: Option<String>,
    pub decided_on: NaiveDate,
}

impl DemoClassification {
    /// The request that gives this classification from the engine (before any policy
    /// exemption).
    pub fn classify_input(&self) -> ClassifyInput {
        ClassifyInput {
            rows: self.rows.iter().map(|&r| i64::from(r)).collect(),
            facts: self.facts.as_object().cloned().unwrap_or_default(),
            manual_clauses: self.manual_clauses.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoFiling {
    pub tier: Tier,
    pub steps: Vec<DemoStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoStep {
    pub action: &'static str,
    pub to_state: &'static str,
    pub on: NaiveDate,
    /// `"owner"` or `"officer"`.
    pub actor: &'static str,
    pub reason: Option<String>,
    pub decision_no: Option<String>,
}

impl DemoFiling {
    /// The state after the last step dated on or before `as_of` (`"draft"` before the first).
    pub fn state_as_of(&self, as_of: NaiveDate) -> &'static str {
        self.steps
            .iter()
            .rev()
            .find(|s| s.on <= as_of)
            .map_or("draft", |s| s.to_state)
    }

    pub fn accepted_or_decided_as_of(&self, as_of: NaiveDate) -> bool {
        crate::domain::report::counts_as_accepted_or_decided(self.state_as_of(as_of))
    }
}

impl DemoLedger {
    /// Required projects whose filing is accepted or decided on `as_of`.
    pub fn accepted_or_decided(&self, as_of: NaiveDate) -> usize {
        self.projects
            .iter()
            .filter(|p| {
                p.filing
                    .as_ref()
                    .is_some_and(|f| f.accepted_or_decided_as_of(as_of))
            })
            .count()
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers: dates, PRNG, working days
// ---------------------------------------------------------------------------------------------

/// A date from constants; fails at compile time when used in a `const`.
const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid constant date"),
    }
}

const SEED: u64 = 0x5348_414e_474c_554f; // "SHANGLUO"

/// splitmix64: tiny, fixed, and good enough for demo data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn for_key(key: &str) -> Self {
        // FNV-1a so that a project's numbers do not move when the table around it changes.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng(SEED ^ h)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Working days by the official schedules the program ships, so demo steps never fall on a day
/// off; outside the years held, Monday to Friday.
fn is_working_day(d: NaiveDate) -> bool {
    static CALENDAR: std::sync::OnceLock<WorkCalendar> = std::sync::OnceLock::new();
    CALENDAR
        .get_or_init(WorkCalendar::embedded)
        .is_working_day(d)
        .unwrap_or(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

/// `n` working days after `d` (before it when `n < 0`); `d` itself is not counted.
fn add_wd(mut d: NaiveDate, n: i64) -> NaiveDate {
    let step = Duration::days(n.signum());
    let mut left = n.abs();
    while left > 0 {
        d += step;
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// `d` if it is a working day, else the nearest working day in direction `dir` (±1).
fn snap_wd(mut d: NaiveDate, dir: i64) -> NaiveDate {
    while !is_working_day(d) {
        d += Duration::days(dir);
    }
    d
}

/// A random working day inside the month starting at `first`.
fn working_day_in_month(first: NaiveDate, rng: &mut Rng) -> NaiveDate {
    let next_month = first + Months::new(1);
    let len = (next_month - first).num_days();
    let mut d = first + Duration::days(rng.range(0, len - 1));
    while !is_working_day(d) {
        d += Duration::days(1);
    }
    if d >= next_month {
        d = next_month - Duration::days(1);
        while !is_working_day(d) {
            d -= Duration::days(1);
        }
    }
    d
}

// ---------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------

/// GB 11714-1997 check character of an 8-character organisation code body.
fn org_code_check_char(body: &[u8; 8]) -> char {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let value = |c: u8| -> u32 {
        if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        }
    };
    let sum: u32 = body.iter().zip(W).map(|(&c, w)| value(c) * w).sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        v => char::from(b'0' + v as u8),
    }
}

fn make_credit_code(kind: OrgKind, area: &str, rng: &mut Rng) -> String {
    let prefix = match kind {
        OrgKind::Enterprise => "91",
        OrgKind::Institution => "12",
        OrgKind::Organ => "11",
    };
    let mut body = [b'0'; 8];
    match kind {
        // Enterprises registered since 2015 carry an "MA" code from the registration authority.
        OrgKind::Enterprise => {
            body[0] = b'M';
            body[1] = b'A';
            for c in body.iter_mut().skip(2) {
                *c = *rng.pick(CREDIT_ALPHABET);
            }
        }
        OrgKind::Institution | OrgKind::Organ => {
            body[0] = b'4';
            for c in body.iter_mut().skip(1) {
                *c = b'0' + rng.below(10) as u8;
            }
        }
    }
    let mut code = String::with_capacity(18);
    code.push_str(prefix);
    code.push_str(area);
    code.extend(body.iter().map(|&b| char::from(b)));
    code.push(org_code_check_char(&body));
    // All characters come from CREDIT_ALPHABET, so a check character always exists.
    code.push(CreditCode::check_char(&code).unwrap_or('0'));
    code
}

// ---------------------------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum OrgKind {
    /// 企业 (91)
    Enterprise,
    /// 事业单位 (12)
    Institution,
    /// 机关 (11)
    Organ,
}

struct OrgRow {
    slug: &'static str,
    name: &'static str,
    kind: OrgKind,
    area: &'static str,
}

const fn o(slug: &'static str, name: &'static str, kind: OrgKind, area: &'static str) -> OrgRow {
    OrgRow {
        slug,
        name,
        kind,
        area,
    }
}

use OrgKind::{Enterprise as E, Institution as I, Organ as G};

const CITY: &str = "611000";
const SZ: &str = "611002";
const LN: &str = "611021";
const DF: &str = "611022";
const SN: &str = "611023";
const SY: &str = "611024";
const ZA: &str = "611025";
const ZS: &str = "611026";

/// The first `OWNER_DEMO_ORGS` rows are the demo owners' organisations.
const ORGS: &[OrgRow] = &[
    o("sljt", "商洛市交通建设投资集团有限公司", E, CITY),
    o("djsd", "陕西丹江水电开发有限公司", E, DF),
    o("dxg", "陕西大西沟矿业有限公司", E, ZS),
    o("lnyy", "洛南县医院", I, LN),
    o("sywl", "山阳县文化旅游发展集团有限公司", E, SY),
    // City level
    o("slcjt", "商洛市城市建设投资集团有限公司", E, CITY),
    o("slsw", "商洛市水务集团有限公司", E, CITY),
    o("slgd", "国网陕西省电力有限公司商洛供电公司", E, CITY),
    o("slzxyy", "商洛市中心医院", I, CITY),
    o("slzyy", "商洛市中医医院", I, CITY),
    o("slfy", "商洛市妇幼保健院", I, CITY),
    o("slxy", "商洛学院", I, CITY),
    o("slzy", "商洛职业技术学院", I, CITY),
    o("slgxq", "商洛高新技术产业开发区管理委员会", G, CITY),
    o("slhw", "商洛市环境卫生服务中心", I, CITY),
    o("slyf", "商洛秦环医疗废物处置有限公司", E, CITY),
    o("sldsj", "商洛市大数据服务中心", I, CITY),
    o("slzj", "商洛市住房和城乡建设局", G, CITY),
    o("sltyj", "商洛市体育局", G, CITY),
    o("slmz", "商洛市民政局", G, CITY),
    o("sllj", "商洛市林业局", G, CITY),
    o("slrq", "商洛市天然气有限责任公司", E, CITY),
    o("sltt", "中国铁塔股份有限公司商洛市分公司", E, CITY),
    o("slyd", "中国移动通信集团陕西有限公司商洛分公司", E, CITY),
    // 商州区
    o("szjt", "商洛市商州区交通运输局", G, SZ),
    o("szslj", "商洛市商州区水利局", G, SZ),
    o("szzj", "商洛市商州区住房和城乡建设局", G, SZ),
    o("szjy", "商洛市商州区教育体育局", G, SZ),
    o("szcg", "商洛市商州区城市管理执法局", G, SZ),
    o("szmz", "商洛市商州区民政局", G, SZ),
    o("szzr", "商洛市商州区自然资源局", G, SZ),
    o("szny", "商洛市商州区农业农村局", G, SZ),
    o("szmy", "商洛秦川生态牧业有限公司", E, SZ),
    o("qlxn", "陕西秦锂新能源材料有限公司", E, SZ),
    o("qfsn", "商洛秦峰水泥有限公司", E, SZ),
    o("qcdc", "陕西秦储电池科技有限公司", E, SZ),
    o("qjgg", "商洛秦建钢构有限公司", E, SZ),
    o("qlzyc", "商洛秦岭中药材产业发展有限公司", E, SZ),
    o("qzzs", "商洛秦岭再生资源有限公司", E, SZ),
    o("qhxn", "商洛秦晖新能源有限公司", E, SZ),
    o("qcny", "商洛秦储能源科技有限公司", E, SZ),
    o("qllc", "商洛秦岭冷链物流有限公司", E, SZ),
    // 洛南县
    o("lnls", "陕西洛卢高速公路有限公司", E, LN),
    o("lnhl", "洛南县黄龙钼业有限公司", E, LN),
    o("lnslj", "洛南县水利局", G, LN),
    o("lncdc", "洛南县疾病预防控制中心", I, LN),
    o("lnxny", "洛南县秦晟新能源有限公司", E, LN),
    o("lnjt", "洛南县交通运输局", G, LN),
    o("lnzj", "洛南县住房和城乡建设局", G, LN),
    o("lnxt", "洛南县鑫泰建材有限公司", E, LN),
    o("lnqy", "洛南县秦宇建材有限公司", E, LN),
    o("lnsp", "洛南县秦核食品有限公司", E, LN),
    o("lnjy", "洛南县教育体育局", G, LN),
    o("lnsl", "洛南县秦丰饲料有限公司", E, LN),
    o("lnwl", "洛南县文化旅游投资开发有限公司", E, LN),
    o("lnzr", "洛南县自然资源局", G, LN),
    o("lnny", "洛南县农业农村局", G, LN),
    o("lncjt", "洛南县城市建设投资有限公司", E, LN),
    // 丹凤县
    o("dfpj", "丹凤县商山红葡萄酒有限公司", E, DF),
    o("dfjt", "丹凤县交通运输局", G, DF),
    o("dfzj", "丹凤县住房和城乡建设局", G, DF),
    o("dfly", "丹凤县文化旅游开发有限公司", E, DF),
    o("dfyy", "丹凤县医院", I, DF),
    o("dfslj", "丹凤县水利局", G, DF),
    o("dfss", "丹凤县丹江砂石有限公司", E, DF),
    o("dfhn", "丹凤县恒诺建材有限公司", E, DF),
    o("dfjy", "丹凤县教育体育局", G, DF),
    o("dffd", "丹凤县秦风新能源有限公司", E, DF),
    o("dfsj", "丹凤县秦菌食品有限公司", E, DF),
    o("dfdh", "丹凤县棣花古镇旅游开发有限公司", E, DF),
    o("dfny", "丹凤县农业农村局", G, DF),
    o("dfmz", "丹凤县民政局", G, DF),
    o("dfcjt", "丹凤县城市建设投资开发有限公司", E, DF),
    o("dfzr", "丹凤县自然资源局", G, DF),
    o("dfbc", "丹凤县本草药材有限公司", E, DF),
    // 商南县
    o("snsm", "商南县秦墨矿业有限公司", E, SN),
    o("snslj", "商南县水利局", G, SN),
    o("snjsx", "商南县金丝峡旅游开发有限公司", E, SN),
    o("snjt", "商南县交通运输局", G, SN),
    o("snzj", "商南县住房和城乡建设局", G, SN),
    o("snyy", "商南县医院", I, SN),
    o("snqd", "商南县秦达建材有限公司", E, SN),
    o("sncl", "商南县长岭矿业有限公司", E, SN),
    o("snfd", "商南县秦岭风电有限公司", E, SN),
    o("snjy", "商南县教育体育局", G, SN),
    o("snqm", "商南县秦茗茶业有限公司", E, SN),
    o("snny", "商南县农业农村局", G, SN),
    o("sncjt", "商南县城市建设投资有限公司", E, SN),
    // 山阳县
    o("sycx", "陕西山阳抽水蓄能有限公司", E, SY),
    o("syfk", "山阳县秦钒矿业有限公司", E, SY),
    o("syjt", "山阳县交通运输局", G, SY),
    o("syyy", "山阳县人民医院", I, SY),
    o("syzj", "山阳县住房和城乡建设局", G, SY),
    o("syslj", "山阳县水利局", G, SY),
    o("syqf", "山阳县秦丰建材有限公司", E, SY),
    o("syhd", "山阳县恒达建材有限公司", E, SY),
    o("syyf", "山阳县秦岭药业有限公司", E, SY),
    o("syxn", "山阳县阳光秦能新能源有限公司", E, SY),
    o("syjy", "山阳县教育体育局", G, SY),
    o("symz", "山阳县民政局", G, SY),
    o("syzr", "山阳县自然资源局", G, SY),
    o("synn", "山阳县秦牛牧业有限公司", E, SY),
    o("syny", "山阳县农业农村局", G, SY),
    o("sycjt", "山阳县城市建设投资开发有限公司", E, SY),
    // 镇安县
    o("zajt", "镇安县交通运输局", G, ZA),
    o("zajk", "镇安县秦金矿业有限公司", E, ZA),
    o("zayy", "镇安县医院", I, ZA),
    o("zacx", "陕西镇安抽水蓄能有限公司", E, ZA),
    o("zasd", "镇安县旬河水电开发有限公司", E, ZA),
    o("zazj", "镇安县住房和城乡建设局", G, ZA),
    o("zaty", "镇安县塔云山旅游开发有限公司", E, ZA),
    o("zaslj", "镇安县水利局", G, ZA),
    o("zajc", "镇安县秦岭建材有限公司", E, ZA),
    o("zajy", "镇安县教育体育局", G, ZA),
    o("zasp", "镇安县秦栗食品有限公司", E, ZA),
    o("zagf", "镇安县秦光新能源有限公司", E, ZA),
    o("zany", "镇安县农业农村局", G, ZA),
    o("zacjt", "镇安县城市建设投资集团有限公司", E, ZA),
    // 柞水县
    o("zsjt", "柞水县交通运输局", G, ZS),
    o("zsbc", "陕西秦岭本草药业有限公司", E, ZS),
    o("zsslj", "柞水县水利局", G, ZS),
    o("zszj", "柞水县住房和城乡建设局", G, ZS),
    o("zsyy", "柞水县医院", I, ZS),
    o("zsme", "柞水县秦岭木耳科技有限公司", E, ZS),
    o("zsjc", "柞水县秦宏建材有限公司", E, ZS),
    o("zsjy", "柞水县教育体育局", G, ZS),
    o("zsrq", "柞水县燃气有限公司", E, ZS),
    o("zsnbl", "柞水县牛背梁旅游开发有限公司", E, ZS),
    o("zsny", "柞水县农业农村局", G, ZS),
    o("zscjt", "柞水县城市建设投资有限公司", E, ZS),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "董", "程", "雷", "田", "贾",
];
const GIVEN_NAMES: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "建华", "文博", "晓东", "海峰", "宏伟", "志强", "丹丹", "小龙", "秦川",
    "少华", "永红", "亚楠", "婷婷", "建军", "卫东", "春燕",
];

fn build_organization(row: &OrgRow) -> DemoOrganization {
    let mut rng = Rng::for_key(row.slug);
    let credit_code = make_credit_code(row.kind, row.area, &mut rng);
    let contact_name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN_NAMES));
    // Shangluo landlines: 0914 plus seven digits.
    let contact_phone = format!("0914-{}{:06}", rng.range(2, 8), rng.below(1_000_000));
    DemoOrganization {
        name: row.name.to_string(),
        credit_code,
        contact_name,
        contact_phone,
        contact_email: format!("{}@example.cn", row.slug),
    }
}

// ---------------------------------------------------------------------------------------------
// Project kinds: the helper table from (catalogue row, tier) to facts, basis and money
// ---------------------------------------------------------------------------------------------

const POLICY_2020_13: &str = "环综合〔2020〕13号";

/// How a kind's tier follows from the catalogue.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum How {
    /// The row's clause gives the tier.
    Required,
    /// The row's own text excludes the case: exempt.
    Excluded,
    /// The row applies but sets no tier for the case (e.g. "/" in every other column): exempt.
    NoTier,
    /// No row at all (Art. 5): exempt.
    Art5,
    /// The row gives registration_form, a policy list exempts it.
    Policy,
}

/// How a kind's raw investment is drawn, in 万元.
#[derive(Clone, Copy, Debug)]
enum Inv {
    Range(i64, i64),
    /// 万元 per unit of the project's quantity `q`, ±15 %.
    PerUnit(f64),
}

#[derive(Clone, Copy, Debug)]
struct Spec {
    /// Catalogue row, 0 for none.
    row: u16,
    /// The tier the row gives (`Exempt` for excluded / no-tier / Art. 5 kinds).
    row_tier: Tier,
    how: How,
    /// The catalogue words the engine is expected to decide by: a substring of the clause it
    /// quotes (the tests check this; the basis quotes the engine itself). Empty for Art. 5 and
    /// for rows where no clause holds.
    #[cfg_attr(not(test), allow(dead_code))]
    clause: &'static str,
    /// What the project is, in Chinese.
    what: &'static str,
    /// Particulars that explain the engine's answer, added to the sentence on what the project
    /// is (no final punctuation).
    note: &'static str,
    /// Label and unit of the quantity `q` in the basis.
    unit: Option<(&'static str, &'static str)>,
    industry: &'static str,
    inv: Inv,
}

impl Spec {
    const fn new(
        row: u16,
        row_tier: Tier,
        how: How,
        clause: &'static str,
        what: &'static str,
    ) -> Self {
        Spec {
            row,
            row_tier,
            how,
            clause,
            what,
            note: "",
            unit: None,
            industry: "industry",
            inv: Inv::Range(5_000, 20_000),
        }
    }
    const fn req(row: u16, tier: Tier, clause: &'static str, what: &'static str) -> Self {
        Spec::new(row, tier, How::Required, clause, what)
    }
    const fn excl(row: u16, clause: &'static str, what: &'static str) -> Self {
        Spec::new(row, Tier::Exempt, How::Excluded, clause, what)
    }
    const fn notier(row: u16, what: &'static str) -> Self {
        Spec::new(row, Tier::Exempt, How::NoTier, "", what)
    }
    const fn art5(what: &'static str) -> Self {
        Spec::new(0, Tier::Exempt, How::Art5, "", what)
    }
    const fn policy(row: u16, clause: &'static str, what: &'static str) -> Self {
        Spec::new(row, Tier::RegistrationForm, How::Policy, clause, what)
    }
    const fn ind(mut self, industry: &'static str) -> Self {
        self.industry = industry;
        self
    }
    const fn inv(mut self, lo: i64, hi: i64) -> Self {
        self.inv = Inv::Range(lo, hi);
        self
    }
    const fn per(mut self, wan_per_unit: f64) -> Self {
        self.inv = Inv::PerUnit(wan_per_unit);
        self
    }
    const fn unit(mut self, label: &'static str, unit: &'static str) -> Self {
        self.unit = Some((label, unit));
        self
    }
    const fn note(mut self, note: &'static str) -> Self {
        self.note = note;
        self
    }
    /// The classification tier after exclusions and policy exemptions.
    const fn tier(&self) -> Tier {
        match self.how {
            How::Required => self.row_tier,
            _ => Tier::Exempt,
        }
    }
}

/// Project kinds. Each names one (row, tier) reading of the catalogue; `spec` and `facts` below
/// are the maintainable table the brief asks for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum K {
    // transport
    RoadExpNew,
    RoadC1NewLong,
    RoadC2NewLong,
    RoadC2NewSens,
    RoadC1Renov,
    RoadC2Renov,
    RoadC2NewShort,
    RoadC3SensRf,
    RoadAncillary,
    RoadMaint,
    RoadC4Renov,
    RoadEmergency,
    UrbanArterial,
    UrbanBridge,
    UrbanSecondary,
    UrbanBranch,
    BusHub,
    Logistics,
    // energy
    PumpedStorage,
    HydroRetrofit,
    PvGround,
    PvRoof,
    PvHousehold,
    Wind,
    Storage,
    Sub110,
    Sub330,
    Line330Sens,
    Grid10,
    GasPower,
    GasPipeSens,
    FuelStation,
    EvCharging,
    // mining
    IronMine,
    VanadiumMine,
    Tailings,
    NonferrousMine,
    NonmetalMine,
    MineRestoration,
    OreCrushing,
    Quarry,
    // industry
    Cement,
    CementGrinding,
    Concrete,
    StoneProcessing,
    ChemMaterial,
    Smelting,
    Battery,
    SteelStructure,
    TcmRefining,
    TcmProcessing,
    Food,
    Wine,
    StdFactory,
    AirTreatment,
    // water
    Reservoir,
    RiverSens,
    River,
    Flood,
    DrainagePump,
    WaterPlant,
    VillageWater,
    WaterPipe,
    Irrigation,
    // environment
    SewageIndustrial,
    Sewage,
    SewageSmall,
    SewageUpgrade,
    Landfill,
    KitchenLarge,
    KitchenSmall,
    Transfer,
    MedicalWaste,
    CdWaste,
    GeoHazard,
    GeoHazardSmall,
    DrainPipe,
    CityPark,
    // social
    HospitalLarge,
    Hospital,
    HospitalOutpatient,
    Cdc,
    Dsa,
    School,
    SchoolNoLab,
    ElderlyHome,
    Stadium,
    Housing,
    OldCommunity,
    Funeral,
    SmartCity,
    FiveG,
    // tourism
    ScenicUpgrade,
    Cableway,
    ScenicHotel,
    SmartTourism,
    // agriculture
    PigFarm,
    CattleFarm,
    EconForest,
    ReserveForest,
    HerbBase,
    TcmSlicing,
    Farmland,
    Feed,
    ColdChain,
    Tea,
    SmartAgri,
}

const ROAD_OTHER: &str = "其他（配套设施除外；不涉及环境敏感区的三级、四级公路除外）";
const MINE_ALL: &str =
    "全部（含新建或扩建的独立尾矿库；不含单独的矿石破碎、集运；不含矿区修复治理工程）";
const MANUFACTURE_OTHER: &str =
    "其他（仅分割、焊接、组装的除外；年用非溶剂型低VOCs含量涂料10吨以下的除外）";
const NOT_SENSITIVE: &str = "不涉及该项所列环境敏感区";
const SMART_PLATFORM: &str = "信息化平台软硬件建设，不含土建工程";

fn spec(k: K) -> Spec {
    use Tier::{RegistrationForm as Reg, Report as Rep, ReportForm as Rf};
    match k {
        K::RoadExpNew => Spec::req(130, Rep, "新建30公里（不含）以上的二级及以上等级公路", "新建高速公路")
            .unit("，路线长度", "公里")
            .ind("transport")
            .per(25_000.0),
        K::RoadC1NewLong => Spec::req(130, Rep, "新建30公里（不含）以上的二级及以上等级公路", "新建一级公路")
            .unit("，路线长度", "公里")
            .ind("transport")
            .per(9_000.0),
        K::RoadC2NewLong => Spec::req(130, Rep, "新建30公里（不含）以上的二级及以上等级公路", "新建二级公路")
            .unit("，路线长度", "公里")
            .ind("transport")
            .per(6_000.0),
        K::RoadC2NewSens => Spec::req(130, Rep, "新建涉及环境敏感区的二级及以上等级公路", "新建二级公路")
            .unit("，路线长度", "公里")
            .ind("transport")
            .per(6_500.0),
        K::RoadC1Renov => Spec::req(130, Rf, ROAD_OTHER, "一级公路改建")
            .unit("，路线长度", "公里")
            .note("为改建工程，不属“新建”情形")
            .ind("transport")
            .per(5_000.0),
        K::RoadC2Renov => Spec::req(130, Rf, ROAD_OTHER, "二级公路改建")
            .unit("，路线长度", "公里")
            .note("为改建工程，不属“新建”情形")
            .ind("transport")
            .per(3_600.0),
        K::RoadC2NewShort => Spec::req(130, Rf, ROAD_OTHER, "新建二级公路")
            .unit("，路线长度", "公里")
            .note("路线长度未超过30公里且不涉及环境敏感区")
            .ind("transport")
            .per(5_000.0),
        K::RoadC3SensRf => Spec::req(130, Rf, ROAD_OTHER, "三级公路改建")
            .unit("，路线长度", "公里")
            .note("不属“不涉及环境敏感区的三级、四级公路”")
            .ind("transport")
            .per(2_200.0),
        K::RoadAncillary => Spec::req(130, Reg, "配套设施", "公路养护工区及服务设施等配套设施建设")
            .ind("transport")
            .inv(3_000, 10_000),
        K::RoadMaint => Spec::excl(130, "不含维护", "公路路面维修养护")
            .unit("，路段长度", "公里")
            .ind("transport")
            .per(500.0),
        K::RoadC4Renov => Spec::excl(130, "不含改扩建四级公路", "四级农村公路提质改造")
            .unit("，改造里程", "公里")
            .ind("transport")
            .per(420.0),
        K::RoadEmergency => Spec::excl(130, "不含生命救援、应急保通工程以及国防交通保障项目", "水毁公路应急保通")
            .unit("，路段长度", "公里")
            .ind("transport")
            .per(800.0),
        K::UrbanArterial => Spec::req(131, Rf, "新建快速路、主干路", "新建城市主干路")
            .ind("transport")
            .inv(20_000, 60_000),
        K::UrbanBridge => Spec::req(131, Rf, "城市桥梁、隧道", "新建城市桥梁")
            .ind("transport")
            .inv(12_000, 40_000),
        K::UrbanSecondary => Spec::policy(131, "其他", "新建城市次干路")
            .ind("transport")
            .inv(8_000, 25_000),
        K::UrbanBranch => Spec::excl(131, "不含支路", "城市支路改造")
            .ind("transport")
            .inv(3_000, 12_000),
        K::BusHub => Spec::notier(118, "公交首末站及停车场建设")
            .note(NOT_SENSITIVE)
            .ind("transport")
            .inv(10_000, 30_000),
        K::Logistics => Spec::art5("电子商务及普通仓储物流设施建设（不含危险品仓储）")
            .ind("transport")
            .inv(20_000, 60_000),
        K::PumpedStorage => Spec::req(88, Rep, "抽水蓄能电站", "新建抽水蓄能电站")
            .unit("，总装机容量", "千瓦")
            .ind("energy")
            .per(0.55),
        K::HydroRetrofit => Spec::req(88, Rf, "其他", "水电站仅更换发电设备的增效扩容改造")
            .unit("，总装机容量", "千瓦")
            .note("属“总装机1000千瓦及以上的常规水电（仅更换发电设备的增效扩容项目除外）”所除外的情形且不涉及环境敏感区")
            .ind("energy")
            .per(0.45),
        K::PvGround => Spec::req(90, Rf, "地面集中光伏电站（总容量大于6000千瓦，且接入电压等级不小于10千伏）", "新建地面集中光伏电站")
            .unit("，总容量", "千瓦")
            .ind("energy")
            .per(0.42),
        K::PvRoof => Spec::req(90, Reg, "其他光伏发电", "工业厂房屋顶分布式光伏发电")
            .unit("，总容量", "千瓦")
            .ind("energy")
            .per(0.36),
        K::PvHousehold => Spec::excl(90, "不含居民家用光伏发电", "居民户用屋顶光伏发电（整县推进）")
            .unit("，合计装机", "千瓦")
            .ind("energy")
            .per(0.4),
        K::Wind => Spec::req(90, Rf, "其他风力发电", "新建陆上风力发电场")
            .unit("，总装机容量", "千瓦")
            .note(NOT_SENSITIVE)
            .ind("energy")
            .per(0.68),
        K::Storage => Spec::art5("电化学储能电站建设").ind("energy").inv(40_000, 60_000),
        K::Sub110 => Spec::req(161, Rf, "其他（100千伏以下除外）", "新建110千伏输变电工程")
            .note(NOT_SENSITIVE)
            .ind("energy")
            .inv(5_000, 14_000),
        K::Sub330 => Spec::req(161, Rf, "其他（100千伏以下除外）", "330千伏变电站扩建")
            .note(NOT_SENSITIVE)
            .ind("energy")
            .inv(20_000, 45_000),
        K::Line330Sens => Spec::req(161, Rep, "涉及环境敏感区的330千伏及以上的", "新建330千伏送出线路")
            .ind("energy")
            .inv(50_000, 90_000),
        K::Grid10 => Spec::excl(161, "100千伏以下除外", "10千伏及以下配电网改造升级")
            .ind("energy")
            .inv(8_000, 25_000),
        K::GasPower => Spec::req(87, Rf, "燃气发电", "新建天然气分布式能源站（燃气发电）")
            .ind("energy")
            .inv(15_000, 35_000),
        K::GasPipeSens => Spec::req(147, Rep, "涉及环境敏感区的", "新建天然气长输管道")
            .ind("energy")
            .inv(80_000, 150_000),
        K::FuelStation => Spec::req(119, Rf, "城市建成区新建、扩建加油站", "城市建成区内新建加油加气综合站")
            .ind("energy")
            .inv(2_000, 6_000),
        K::EvCharging => Spec::art5("新能源汽车充电桩及配套设施建设").ind("energy").inv(3_000, 12_000),
        K::IronMine => Spec::req(9, Rep, MINE_ALL, "铁矿采选技术改造")
            .ind("mining")
            .inv(160_000, 300_000),
        K::VanadiumMine => Spec::req(9, Rep, MINE_ALL, "钒矿（其他黑色金属矿）采选技术改造")
            .ind("mining")
            .inv(120_000, 240_000),
        K::Tailings => Spec::req(9, Rep, MINE_ALL, "铁矿独立尾矿库扩建")
            .ind("mining")
            .inv(25_000, 60_000),
        K::NonferrousMine => Spec::req(10, Rep, MINE_ALL, "有色金属矿采选扩建")
            .ind("mining")
            .inv(120_000, 260_000),
        K::NonmetalMine => Spec::req(12, Rep, "全部（不含单独的矿石破碎、集运；不含矿区修复治理工程）", "石墨矿采选")
            .ind("mining")
            .inv(50_000, 110_000),
        K::MineRestoration => Spec::req(9, Rf, "矿区修复治理工程", "矿区生态修复治理")
            .ind("mining")
            .inv(6_000, 30_000),
        K::OreCrushing => Spec::req(10, Rf, "单独的矿石破碎、集运", "单独的矿石破碎、集运")
            .ind("mining")
            .inv(5_000, 18_000),
        K::Quarry => Spec::req(11, Rf, "其他", "建筑用石料露天开采")
            .note(NOT_SENSITIVE)
            .ind("mining")
            .inv(6_000, 25_000),
        K::Cement => Spec::req(54, Rep, "水泥制造（水泥粉磨站除外）", "水泥熟料生产线技术改造").inv(100_000, 180_000),
        K::CementGrinding => Spec::req(54, Rf, "水泥粉磨站", "新建水泥粉磨站").inv(15_000, 30_000),
        K::Concrete => Spec::req(55, Rf, "商品混凝土", "商品混凝土搅拌站建设").inv(4_000, 12_000),
        K::StoneProcessing => Spec::req(56, Rf, "建筑用石加工", "建筑用砂石料加工").inv(5_000, 15_000),
        K::ChemMaterial => Spec::req(44, Rep, "全部（含研发中试；不含单纯物理分离、物理提纯、混合、分装的）", "锂电池正极材料（专用化学产品）制造")
            .inv(150_000, 300_000),
        K::Smelting => Spec::req(64, Rep, "全部（利用单质金属混配重熔生产合金的除外）", "五氧化二钒冶炼")
            .inv(80_000, 160_000),
        K::Battery => Spec::req(77, Rf, MANUFACTURE_OTHER, "锂离子电池制造（含电极涂布、化成工序）")
            .inv(100_000, 200_000),
        K::SteelStructure => Spec::req(66, Rf, MANUFACTURE_OTHER, "钢结构件制造（含焊接后涂装，年用溶剂型涂料10吨以下）")
            .inv(12_000, 40_000),
        K::TcmRefining => Spec::req(48, Rep, "有提炼工艺的（仅醇提、水提的除外）", "中药提取物精制（含溶剂萃取、树脂纯化提炼工艺）")
            .inv(30_000, 70_000),
        K::TcmProcessing => Spec::req(48, Rf, "其他（单纯切片、制干、打包的除外）", "中药饮片加工（含炮制工序）")
            .inv(8_000, 30_000),
        K::Food => Spec::req(24, Rf, "其他未列明食品制造", "农特产品精深加工（其他未列明食品制造）")
            .inv(5_000, 20_000),
        K::Wine => Spec::req(25, Rep, "有发酵工艺的（年生产能力1000千升以下的除外）", "葡萄酒酿造（含发酵工艺）扩能")
            .unit("，新增年生产能力", "千升")
            .inv(20_000, 45_000),
        K::StdFactory => Spec::notier(97, "标准化厂房建设")
            .note(NOT_SENSITIVE)
            .inv(20_000, 80_000),
        K::AirTreatment => Spec::req(100, Reg, "全部", "水泥窑烟气脱硝、除尘超低排放改造").inv(3_000, 12_000),
        K::Reservoir => Spec::req(124, Rep, "库容1000万立方米及以上", "新建水库")
            .unit("，总库容", "立方米")
            .ind("water")
            .inv(120_000, 220_000),
        K::RiverSens => Spec::req(128, Rep, "涉及环境敏感区的", "河道生态修复与综合整治")
            .ind("water")
            .inv(60_000, 150_000),
        K::River => Spec::req(128, Rf, "其他", "河道综合整治")
            .note(NOT_SENSITIVE)
            .ind("water")
            .inv(25_000, 80_000),
        K::Flood => Spec::req(127, Rf, "其他（小型沟渠的护坡除外；城镇排涝河流水闸、排涝泵站除外）", "小型河道堤防防洪治理")
            .note("不属“新建大中型”情形")
            .ind("water")
            .inv(15_000, 60_000),
        K::DrainagePump => Spec::req(127, Reg, "城镇排涝河流水闸、排涝泵站", "城镇排涝泵站建设")
            .ind("water")
            .inv(3_000, 10_000),
        K::WaterPlant => Spec::req(94, Rf, "全部", "自来水厂建设").ind("water").inv(20_000, 70_000),
        K::VillageWater => Spec::excl(94, "不含村庄供应工程", "农村集中供水（村庄供应）工程")
            .ind("water")
            .inv(8_000, 30_000),
        K::WaterPipe => Spec::excl(146, "不含给水管道", "城区给水管网改造")
            .ind("water")
            .inv(5_000, 25_000),
        K::Irrigation => Spec::req(125, Rf, "其他（不含高标准农田、滴灌等节水改造工程）", "新建灌区工程")
            .note(NOT_SENSITIVE)
            .ind("water")
            .inv(15_000, 40_000),
        K::SewageIndustrial => Spec::req(95, Rep, "新建、扩建工业废水集中处理的", "新建工业园区工业废水集中处理厂")
            .unit("，设计日处理规模", "吨")
            .ind("environment")
            .inv(20_000, 45_000),
        K::Sewage => Spec::req(95, Rf, "新建、扩建日处理10万吨以下500吨及以上城乡污水处理的", "城乡污水处理厂新建、扩建")
            .unit("，日处理规模", "吨")
            .ind("environment")
            .per(1.3),
        K::SewageSmall => Spec::req(
            95,
            Reg,
            "其他（不含提标改造项目；不含化粪池及化粪池处理后中水处理回用；不含仅建设沉淀池处理的）",
            "镇级生活污水处理站新建",
        )
        .unit("，日处理规模", "吨")
        .ind("environment")
        .inv(1_500, 5_000),
        K::SewageUpgrade => Spec::excl(95, "不含提标改造项目", "城市污水处理厂提标改造（不新增处理规模）")
            .unit("，现有日处理规模", "吨")
            .ind("environment")
            .inv(6_000, 20_000),
        K::Landfill => Spec::req(106, Rep, "采取填埋方式的", "生活垃圾卫生填埋场扩容")
            .ind("environment")
            .inv(30_000, 60_000),
        K::KitchenLarge => Spec::req(106, Rep, "其他处置方式日处置能力50吨及以上的", "餐厨废弃物资源化利用和无害化处理")
            .unit("，日处置能力", "吨")
            .ind("environment")
            .inv(15_000, 30_000),
        K::KitchenSmall => Spec::req(106, Rf, "其他处置方式日处置能力50吨以下10吨及以上的", "餐厨垃圾处理设施建设")
            .unit("，日处置能力", "吨")
            .ind("environment")
            .inv(3_000, 9_000),
        K::Transfer => Spec::req(105, Rf, "日转运能力150吨及以上的", "生活垃圾转运站建设")
            .unit("，日转运能力", "吨")
            .ind("environment")
            .inv(3_000, 9_000),
        K::MedicalWaste => Spec::req(102, Rep, "医疗废物集中处置（单纯收集、贮存的除外）", "医疗废物集中处置设施扩建")
            .ind("environment")
            .inv(8_000, 20_000),
        K::CdWaste => Spec::req(103, Rf, "其他", "建筑施工废弃物资源化综合利用")
            .note("属建筑施工废弃物，不属一般工业固体废物填埋、焚烧的情形")
            .ind("environment")
            .inv(8_000, 25_000),
        K::GeoHazard => Spec::req(104, Reg, "其他（不涉及环境敏感区的小型地质灾害治理工程除外）", "中型滑坡、泥石流地质灾害综合治理")
            .note(NOT_SENSITIVE)
            .ind("environment")
            .inv(2_000, 9_000),
        K::GeoHazardSmall => Spec::excl(104, "不涉及环境敏感区的小型地质灾害治理工程除外", "不涉及环境敏感区的小型地质灾害治理")
            .ind("environment")
            .inv(1_000, 4_000),
        K::DrainPipe => Spec::policy(146, "其他", "城区雨污分流管网改造")
            .ind("environment")
            .inv(15_000, 60_000),
        K::CityPark => Spec::excl(114, "不含城市公园、植物园、村庄公园", "城市公园建设、提升")
            .ind("environment")
            .inv(5_000, 25_000),
        K::HospitalLarge => Spec::req(108, Rep, "新建、扩建住院床位500张及以上的", "新建综合医院")
            .unit("，新增住院床位", "张")
            .ind("social")
            .per(130.0),
        K::Hospital => Spec::req(108, Rf, "其他（住院床位20张以下的除外）", "医院住院综合楼建设")
            .unit("，新增住院床位", "张")
            .ind("social")
            .per(100.0),
        K::HospitalOutpatient => Spec::req(108, Reg, "住院床位20张以下的（不含20张住院床位的）", "门急诊综合楼建设，不新增住院床位")
            .ind("social")
            .inv(15_000, 35_000),
        K::Cdc => Spec::req(109, Rep, "新建", "新建疾病预防控制中心业务用房")
            .ind("social")
            .inv(8_000, 18_000),
        K::Dsa => Spec::req(172, Rf, "生产、使用Ⅱ类射线装置的", "使用医用血管造影X射线装置（DSA，Ⅱ类射线装置）")
            .ind("social")
            .inv(1_500, 4_000),
        K::School => Spec::req(110, Rf, "有化学、生物实验室的学校", "学校建设（设有化学、生物实验室）")
            .unit("，总建筑面积", "平方米")
            .ind("social")
            .per(0.55),
        K::SchoolNoLab => Spec::notier(110, "中小学、幼儿园建设")
            .unit("，总建筑面积", "平方米")
            .note("不涉及该项所列环境敏感区，且不设化学、生物实验室")
            .ind("social")
            .per(0.42),
        K::ElderlyHome => Spec::notier(110, "福利院、养老院建设")
            .unit("，总建筑面积", "平方米")
            .note(NOT_SENSITIVE)
            .ind("social")
            .per(0.42),
        K::Stadium => Spec::notier(113, "文化体育场馆建设")
            .note(NOT_SENSITIVE)
            .ind("social")
            .inv(10_000, 35_000),
        K::Housing => Spec::notier(97, "保障性租赁住房建设")
            .note(NOT_SENSITIVE)
            .ind("social")
            .inv(30_000, 90_000),
        K::OldCommunity => Spec::art5("既有住宅小区外立面、节能、适老化及环境整治改造，不新增建筑")
            .ind("social")
            .inv(8_000, 30_000),
        K::Funeral => Spec::req(122, Rf, "殡仪馆", "殡仪馆建设").ind("social").inv(5_000, 15_000),
        K::SmartCity => Spec::art5(SMART_PLATFORM).ind("social").inv(8_000, 30_000),
        K::FiveG => Spec::req(166, Reg, "全部", "5G移动通信基站建设")
            .ind("social")
            .inv(10_000, 30_000),
        K::ScenicUpgrade => Spec::req(115, Reg, "其他", "景区基础设施提升（不含缆车、索道）")
            .ind("tourism")
            .inv(20_000, 60_000),
        K::Cableway => Spec::req(115, Rf, "缆车、索道建设", "景区客运索道建设")
            .ind("tourism")
            .inv(15_000, 35_000),
        K::ScenicHotel => Spec::req(97, Rf, "涉及环境敏感区的", "景区内康养度假酒店建设")
            .ind("tourism")
            .inv(25_000, 70_000),
        K::SmartTourism => Spec::art5(SMART_PLATFORM).ind("tourism").inv(2_000, 8_000),
        K::PigFarm => Spec::req(3, Rep, "年出栏生猪5000头（其他畜禽种类折合猪的养殖量）及以上的规模化畜禽养殖", "生猪规模化养殖")
            .unit("，年出栏生猪", "头")
            .ind("agriculture")
            .inv(20_000, 45_000),
        K::CattleFarm => Spec::req(3, Reg, "其他（规模化以下的除外）", "肉牛规模化养殖")
            .unit("，年出栏折合生猪", "头")
            .note("年出栏折合生猪不足5000头且不涉及该项所列环境敏感区")
            .ind("agriculture")
            .inv(5_000, 15_000),
        K::EconForest => Spec::req(2, Reg, "其他", "核桃经济林提质增效基地建设")
            .ind("agriculture")
            .inv(5_000, 18_000),
        K::ReserveForest => Spec::req(2, Rf, "原料林基地", "国家储备林（工业原料林）基地建设")
            .ind("agriculture")
            .inv(80_000, 160_000),
        K::HerbBase => Spec::policy(1, "其他", "中药材规范化种植基地建设")
            .note(NOT_SENSITIVE)
            .ind("agriculture")
            .inv(5_000, 25_000),
        K::TcmSlicing => Spec::excl(48, "单纯切片、制干、打包的除外", "中药材产地单纯切片、制干、打包")
            .ind("agriculture")
            .inv(3_000, 12_000),
        K::Farmland => Spec::excl(125, "不含高标准农田、滴灌等节水改造工程", "高标准农田建设")
            .note(NOT_SENSITIVE)
            .ind("agriculture")
            .inv(15_000, 45_000),
        K::Feed => Spec::req(15, Rf, "年加工1万吨及以上的", "饲料加工")
            .unit("，年加工能力", "吨")
            .ind("agriculture")
            .inv(5_000, 15_000),
        K::ColdChain => Spec::art5("农产品冷链仓储物流设施建设（不含危险品仓储）")
            .ind("agriculture")
            .inv(10_000, 30_000),
        K::Tea => Spec::art5("精制茶加工").ind("agriculture").inv(3_000, 12_000),
        K::SmartAgri => Spec::art5(SMART_PLATFORM).ind("agriculture").inv(2_000, 8_000),
    }
}

/// A JSON number: integral quantities as integers.
fn num(q: f64) -> Value {
    if q.fract() == 0.0 && q.abs() < 1e15 {
        json!(q as i64)
    } else {
        json!(q)
    }
}

/// The construction fact read from the project name (改建/改扩建 → renovation, …).
fn construction_from_name(name: &str) -> &'static str {
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["维修", "大修"]) {
        "maintenance"
    } else if has(&["迁建"]) {
        "relocation"
    } else if has(&["改扩建", "增效扩容"]) {
        "renovation"
    } else if has(&["扩建", "扩容", "扩能"]) {
        "expansion"
    } else if has(&[
        "改建",
        "改造",
        "技改",
        "技术改造",
        "提标",
        "提升",
        "提质",
        "巩固",
    ]) {
        "renovation"
    } else {
        "new"
    }
}

/// Facts in the engine's vocabulary for kind `k` with quantity `q`: for a row with a structured
/// rule, the facts its rule reads (`fact_specs`); for a row without one, only the common facts,
/// the tier being the officer's hand-chosen clause (`manual_clauses`).
fn facts(k: K, q: f64, sens: &[&str], construction: &str) -> Value {
    let c = construction;
    let s: Vec<&str> = sens.to_vec();
    let road = |grade: &str| json!({"construction": c, "road_grade": grade, "length_km": num(q), "sensitive_areas": s});
    let power = |generation: &str, kv: f64| json!({"construction": c, "generation": generation, "installed_capacity_kw": num(q), "grid_voltage_kv": num(kv), "sensitive_areas": s});
    let only_c = || json!({"construction": c});
    let with_s = || json!({"construction": c, "sensitive_areas": s});
    match k {
        K::RoadExpNew => road("expressway"),
        K::RoadC1NewLong | K::RoadC1Renov => road("class1"),
        K::RoadC2NewLong | K::RoadC2NewSens | K::RoadC2Renov | K::RoadC2NewShort => road("class2"),
        K::RoadC3SensRf => road("class3"),
        K::RoadMaint => road("class2"),
        K::RoadC4Renov => road("class4"),
        K::RoadEmergency => {
            json!({"construction": c, "road_grade": "class3", "length_km": num(q), "emergency_or_defense": true, "sensitive_areas": s})
        }
        K::RoadAncillary => {
            json!({"construction": c, "road_grade": "class2", "ancillary_only": true, "sensitive_areas": s})
        }
        K::UrbanArterial => {
            json!({"construction": c, "urban_road_class": "arterial", "structure": "road"})
        }
        K::UrbanBridge => {
            // The road class is for road works: a bridge is "城市桥梁、隧道" on its own.
            json!({"construction": c, "structure": "bridge"})
        }
        K::UrbanSecondary => {
            json!({"construction": c, "urban_road_class": "secondary", "structure": "road"})
        }
        K::UrbanBranch => {
            json!({"construction": c, "urban_road_class": "branch", "structure": "road"})
        }
        K::BusHub => with_s(),
        K::FuelStation => {
            json!({"construction": c, "station_type": "fuel_and_gas", "urban_built_up_area": true, "sensitive_areas": s})
        }
        K::Logistics
        | K::Storage
        | K::EvCharging
        | K::OldCommunity
        | K::SmartCity
        | K::SmartTourism
        | K::SmartAgri
        | K::ColdChain
        | K::Tea => json!({}),
        K::PumpedStorage => {
            json!({"construction": c, "installed_capacity_kw": num(q), "pumped_storage": true, "sensitive_areas": s})
        }
        K::HydroRetrofit => {
            json!({"construction": c, "installed_capacity_kw": num(q), "equipment_replacement_only": true, "sensitive_areas": s})
        }
        K::PvGround => power("ground_pv", if q >= 50_000.0 { 110.0 } else { 35.0 }),
        K::PvRoof => power("other_pv", 10.0),
        K::PvHousehold => power("household_pv", 0.4),
        K::Wind => power("onshore_wind", 110.0),
        K::Sub110 | K::Sub330 | K::Line330Sens | K::Grid10 => {
            json!({"construction": c, "voltage_kv": num(q), "sensitive_areas": s})
        }
        K::GasPower => json!({"construction": c, "fuel": "gas"}),
        // Row 147 has no structured rule: the officer weighs the declared areas.
        K::GasPipeSens => with_s(),
        K::IronMine | K::VanadiumMine | K::Tailings | K::NonferrousMine | K::NonmetalMine => {
            json!({"construction": c, "activity": "mining"})
        }
        K::MineRestoration => json!({"construction": c, "activity": "mine_restoration"}),
        K::OreCrushing => json!({"construction": c, "activity": "crushing_transport_only"}),
        K::Quarry => json!({"construction": c, "activity": "mining", "sensitive_areas": s}),
        K::Cement => json!({"construction": c, "product": "cement"}),
        K::CementGrinding => json!({"construction": c, "product": "cement_grinding"}),
        K::Concrete => json!({"construction": c, "concrete_product": "ready_mixed_concrete"}),
        K::StoneProcessing => json!({"construction": c, "building_material": "building_stone"}),
        // Rows 24, 44, 64, 66, 77, 100, 109 and 172 have no structured rule.
        K::ChemMaterial
        | K::Smelting
        | K::Food
        | K::Battery
        | K::SteelStructure
        | K::AirTreatment
        | K::Cdc
        | K::Dsa => only_c(),
        K::TcmRefining => json!({"construction": c, "extraction": "refining"}),
        K::TcmProcessing => json!({"construction": c, "extraction": "none"}),
        K::TcmSlicing => {
            json!({"construction": c, "extraction": "none", "slicing_drying_packing_only": true})
        }
        K::Wine => json!({"construction": c, "fermentation": true, "annual_capacity_kl": num(q)}),
        K::Feed => json!({"construction": c, "annual_processing_t": num(q)}),
        K::StdFactory => {
            json!({"construction": c, "building": "standard_factory", "sensitive_areas": s})
        }
        K::Housing | K::ScenicHotel => {
            json!({"construction": c, "building": "other", "sensitive_areas": s})
        }
        K::Reservoir => {
            json!({"construction": c, "storage_capacity_m3": num(q), "sensitive_areas": s})
        }
        K::RiverSens | K::River | K::Irrigation | K::Stadium | K::HerbBase => with_s(),
        K::WaterPlant => json!({"construction": c, "water_works": "production"}),
        K::Flood => json!({"construction": c, "scale": "small", "works": "other"}),
        K::DrainagePump => {
            json!({"construction": c, "scale": "small", "works": "urban_drainage_sluice_or_pump"})
        }
        K::VillageWater => json!({"construction": c, "water_works": "village_supply"}),
        K::WaterPipe => {
            json!({"construction": c, "pipe_network": "water_supply", "sensitive_areas": s})
        }
        K::DrainPipe => json!({"construction": c, "pipe_network": "sewer", "sensitive_areas": s}),
        K::Farmland => {
            json!({"construction": c, "water_saving_retrofit": true, "sensitive_areas": s})
        }
        K::SewageIndustrial => {
            json!({"construction": c, "wastewater": "industrial_central", "daily_capacity_t": num(q)})
        }
        K::Sewage | K::SewageSmall => {
            json!({"construction": c, "wastewater": "municipal", "daily_capacity_t": num(q)})
        }
        K::SewageUpgrade => {
            json!({"construction": c, "wastewater": "municipal", "daily_capacity_t": num(q), "upgrade_only": true})
        }
        K::Landfill => json!({"construction": c, "method": "landfill", "daily_capacity_t": num(q)}),
        K::KitchenLarge | K::KitchenSmall => {
            json!({"construction": c, "method": "other", "daily_capacity_t": num(q)})
        }
        K::Transfer => json!({"construction": c, "daily_capacity_t": num(q)}),
        K::MedicalWaste => {
            json!({"construction": c, "disposal_type": "medical_waste_central"})
        }
        K::CdWaste => json!({"construction": c, "solid_waste": "construction_waste"}),
        K::GeoHazard => {
            json!({"construction": c, "hazard_type": "debris_flow", "hazard_scale": "medium", "sensitive_areas": s})
        }
        K::GeoHazardSmall => {
            json!({"construction": c, "hazard_type": "landslide", "hazard_scale": "small", "sensitive_areas": s})
        }
        K::CityPark => json!({"construction": c, "park_type": "urban_park", "sensitive_areas": s}),
        K::HospitalLarge | K::Hospital | K::HospitalOutpatient => {
            json!({"construction": c, "beds": num(q)})
        }
        K::School => {
            json!({"construction": c, "floor_area_m2": num(q), "has_chem_bio_lab": true, "sensitive_areas": s})
        }
        K::SchoolNoLab | K::ElderlyHome => {
            json!({"construction": c, "floor_area_m2": num(q), "sensitive_areas": s})
        }
        K::Funeral => {
            json!({"construction": c, "funeral_facility": "funeral_home", "sensitive_areas": s})
        }
        K::FiveG | K::ScenicUpgrade | K::EconForest => only_c(),
        K::Cableway => json!({"construction": c, "cableway": true}),
        // Both farms reach the 规模化 threshold (《畜禽规模化养殖污染防治条例》); the cattle farm's
        // 800 head a year count as 4000 pigs (one head of beef cattle = 5 pigs).
        K::PigFarm | K::CattleFarm => {
            json!({"construction": c, "farm_scale": "large_scale", "annual_output_pig_eq_head": num(q), "sensitive_areas": s})
        }
        K::ReserveForest => json!({"construction": c, "raw_material_forest": true}),
    }
}

fn sensitive_label(code: &str) -> &'static str {
    match code {
        "scenic_area" => "风景名胜区",
        "nature_reserve" => "自然保护区",
        "forest_park" => "森林公园",
        "natural_forest" => "天然林",
        "aquatic_habitat" => "重要水生生物的自然产卵场、索饵场、越冬场和洄游通道",
        "drinking_water_source" => "饮用水水源保护区",
        "residential_area" => "以居住、医疗卫生、文化教育、科研、行政办公等为主要功能的区域",
        _ => "环境敏感区",
    }
}

/// What a tier obliges the owner to do.
fn tier_action(t: Tier) -> &'static str {
    match t {
        Tier::Report => "应编制环境影响报告书",
        Tier::ReportForm => "应编制环境影响报告表",
        Tier::RegistrationForm => "应填报环境影响登记表（网上备案）",
        Tier::Exempt => "无须办理环评手续",
    }
}

fn fmt_q(q: f64) -> String {
    if q.fract() == 0.0 {
        format!("{}", q as i64)
    } else {
        format!("{q:.1}")
    }
}

/// The officer's hand-chosen tier for the row when the engine has no structured rule for it:
/// the row's tier as the kind reads the catalogue cell (exempt when no cell fits).
fn manual_clauses(sp: &Spec) -> BTreeMap<u16, Tier> {
    if sp.row != 0 && fact_specs(sp.row).is_none() {
        BTreeMap::from([(sp.row, sp.row_tier)])
    } else {
        BTreeMap::new()
    }
}

/// The basis of a classification: what the project is, then the engine's basis (the catalogue
/// words it decides by), then what follows from it, or the policy exemption.
///
/// # Panics
///
/// When the engine rejects the classification: the tables above are constants, and the tests
/// classify every project.
fn basis(sp: &Spec, row: &ProjRow, c: &DemoClassification) -> String {
    let mut what = sp.what.to_string();
    if let Some((label, unit)) = sp.unit {
        what.push_str(&format!("{label}{}{unit}", fmt_q(row.q)));
    }
    if !row.sens.is_empty() {
        let names: Vec<&str> = row.sens.iter().map(|c| sensitive_label(c)).collect();
        what.push_str(&format!("，涉及{}", names.join("、")));
    }
    if !sp.note.is_empty() {
        what.push_str(&format!("，{}", sp.note));
    }
    let outcome = classify(&c.classify_input(), Catalog::embedded()).unwrap_or_else(|errors| {
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!(
            "constant table: the engine rejects {}: {}",
            row.name,
            errors.join("; ")
        )
    });
    let consequence = match &c.policy_exemption {
        Some(policy) => format!(
            "按《关于统筹做好疫情防控和经济社会发展生态环保工作的指导意见》（{policy}）所附环评审批正面清单，豁免环评手续，不再填报环境影响登记表。"
        ),
        None => format!("{}。", tier_action(outcome.tier)),
    };
    format!("本项目为{what}。依据{}{consequence}", outcome.basis)
}

// ---------------------------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------------------------

/// One ledger row. `q` is the kind's quantity (km, kW, t/d, beds, m², m³ …; 0 when none).
/// Flags: `P` provincial key project, `T` point-to-point, `B` built before approval with the
/// penalty settled, `U` built before approval with the penalty unsettled (refused), `C` stuck
/// in a correction request at 2023-06-30, `L` submitted late June 2023, `D` disapproved.
struct ProjRow {
    county: &'static str,
    name: &'static str,
    kind: K,
    q: f64,
    sens: &'static [&'static str],
    org: &'static str,
    flags: &'static str,
}

const fn p(
    county: &'static str,
    name: &'static str,
    kind: K,
    q: f64,
    org: &'static str,
    flags: &'static str,
) -> ProjRow {
    ProjRow {
        county,
        name,
        kind,
        q,
        sens: &[],
        org,
        flags,
    }
}

impl ProjRow {
    const fn sens(mut self, sens: &'static [&'static str]) -> Self {
        self.sens = sens;
        self
    }
}

#[rustfmt::skip]
const PROJECTS: &[ProjRow] = &[
    // ---- 商州区 (58) ----
    p(SZ, "G312线商州过境公路改线工程", K::RoadC1NewLong, 32.6, "sljt", "PT"),
    p(SZ, "丹江商州城区段生态修复与综合治理工程", K::RiverSens, 0.0, "szslj", "PT").sens(&["aquatic_habitat"]),
    p(SZ, "商洛高新区工业污水集中处理厂建设项目", K::SewageIndustrial, 20000.0, "slgxq", "PT"),
    p(SZ, "商洛市生活垃圾卫生填埋场扩容工程", K::Landfill, 600.0, "slhw", "T"),
    p(SZ, "商洛市餐厨废弃物资源化利用和无害化处理项目", K::KitchenLarge, 100.0, "slcjt", ""),
    p(SZ, "商洛市医疗废物集中处置中心扩建项目", K::MedicalWaste, 0.0, "slyf", "T"),
    p(SZ, "商洛市中心医院新院区建设项目", K::HospitalLarge, 800.0, "slzxyy", "PT"),
    p(SZ, "商州区年出栏10万头生猪标准化养殖基地", K::PigFarm, 100000.0, "szmy", "PT"),
    p(SZ, "商洛高新区年产5万吨磷酸铁锂正极材料项目", K::ChemMaterial, 0.0, "qlxn", "PT"),
    p(SZ, "商州区年产200万吨水泥熟料生产线技术改造项目", K::Cement, 0.0, "qfsn", "PT"),
    p(SZ, "商洛学院新校区建设项目", K::School, 186000.0, "slxy", "PT"),
    p(SZ, "商洛职业技术学院产教融合实训基地建设项目", K::School, 42000.0, "slzy", ""),
    p(SZ, "商洛市中医医院住院综合楼建设项目", K::Hospital, 300.0, "slzyy", "T"),
    p(SZ, "商洛市妇幼保健院新院区建设项目", K::Hospital, 200.0, "slfy", "T"),
    p(SZ, "商州区110千伏东店子输变电工程", K::Sub110, 110.0, "slgd", ""),
    p(SZ, "商洛330千伏商州变电站扩建工程", K::Sub330, 330.0, "slgd", "PT"),
    p(SZ, "商洛市城区东环路新建工程", K::UrbanArterial, 0.0, "slcjt", ""),
    p(SZ, "商洛市丹江五号桥建设工程", K::UrbanBridge, 0.0, "slcjt", "T"),
    p(SZ, "商州区北宽坪至板桥公路改建工程", K::RoadC2Renov, 18.6, "szjt", ""),
    p(SZ, "商洛高新区天然气分布式能源站项目", K::GasPower, 0.0, "slrq", ""),
    p(SZ, "商州区城市生活污水处理厂三期扩建工程", K::Sewage, 30000.0, "slsw", ""),
    p(SZ, "商洛市第二水厂扩建工程", K::WaterPlant, 0.0, "slsw", "T"),
    p(SZ, "商州区南秦河防洪治理工程", K::Flood, 0.0, "szslj", ""),
    p(SZ, "商州区板桥河综合治理工程", K::River, 0.0, "szslj", ""),
    p(SZ, "商洛市建筑垃圾资源化利用项目", K::CdWaste, 0.0, "qzzs", ""),
    p(SZ, "商州区城区生活垃圾转运站建设项目", K::Transfer, 200.0, "szcg", ""),
    p(SZ, "商洛高新区年产2GWh锂离子电池项目", K::Battery, 0.0, "qcdc", "PT"),
    p(SZ, "商洛高新区钢结构装配式建筑产业基地", K::SteelStructure, 0.0, "qjgg", "B"),
    p(SZ, "商州区中药饮片加工及炮制生产线建设项目", K::TcmProcessing, 0.0, "qlzyc", ""),
    p(SZ, "商州区殡仪馆迁建项目", K::Funeral, 0.0, "szmz", ""),
    p(SZ, "商洛市国家储备林建设项目", K::ReserveForest, 0.0, "sllj", "PT"),
    p(SZ, "商洛市综合客运枢纽加油加气综合能源站", K::FuelStation, 0.0, "sljt", ""),
    p(SZ, "商洛市中心医院门急诊综合楼", K::HospitalOutpatient, 0.0, "slzxyy", "T"),
    p(SZ, "商州区城区5G基站建设项目", K::FiveG, 0.0, "sltt", ""),
    p(SZ, "商州区杨峪河镇污水处理站建设项目", K::SewageSmall, 300.0, "szzj", ""),
    p(SZ, "商洛秦峰水泥有限公司超低排放改造项目", K::AirTreatment, 0.0, "qfsn", ""),
    p(SZ, "商州区大荆镇地质灾害综合治理工程", K::GeoHazard, 0.0, "szzr", ""),
    p(SZ, "商洛高新区标准化厂房屋顶分布式光伏项目", K::PvRoof, 8000.0, "qhxn", ""),
    p(SZ, "商州区城市污水处理厂提标改造", K::SewageUpgrade, 40000.0, "slsw", ""),
    p(SZ, "商洛市智慧城市综合管理平台", K::SmartCity, 0.0, "sldsj", "T"),
    p(SZ, "商洛高新区标准化厂房（三期）", K::StdFactory, 0.0, "slgxq", "PT"),
    p(SZ, "商州区丹江公园提升改造", K::CityPark, 0.0, "szcg", ""),
    p(SZ, "商洛市城区老旧小区改造项目", K::OldCommunity, 0.0, "slzj", ""),
    p(SZ, "商洛市保障性租赁住房项目", K::Housing, 0.0, "slcjt", ""),
    p(SZ, "商洛市全民健身中心", K::Stadium, 0.0, "sltyj", ""),
    p(SZ, "商州区第二小学新建项目", K::SchoolNoLab, 16000.0, "szjy", ""),
    p(SZ, "商洛市社会福利院综合楼建设项目", K::ElderlyHome, 9800.0, "slmz", ""),
    p(SZ, "商州区农村公路提质改造工程", K::RoadC4Renov, 86.5, "szjt", ""),
    p(SZ, "商州区城区雨污分流管网改造工程", K::DrainPipe, 0.0, "szzj", ""),
    p(SZ, "商洛市中心城区供水管网改造工程", K::WaterPipe, 0.0, "slsw", ""),
    p(SZ, "商州区10千伏农村电网巩固提升工程", K::Grid10, 10.0, "slgd", ""),
    p(SZ, "商洛高新区100MW/200MWh独立储能电站", K::Storage, 0.0, "qcny", "PT"),
    p(SZ, "商州区高标准农田建设项目", K::Farmland, 0.0, "szny", ""),
    p(SZ, "商洛市城区工农路东延伸工程", K::UrbanSecondary, 0.0, "slcjt", ""),
    p(SZ, "商州区5万亩中药材规范化种植基地", K::HerbBase, 0.0, "qlzyc", ""),
    p(SZ, "商洛市农产品冷链物流中心", K::ColdChain, 0.0, "qllc", ""),
    p(SZ, "商州区新能源汽车充电基础设施建设项目", K::EvCharging, 0.0, "slgd", ""),
    p(SZ, "商洛市城区公交首末站及停车场建设项目", K::BusHub, 0.0, "slcjt", ""),
    // ---- 洛南县 (34) ----
    p(LN, "洛南至卢氏（陕豫界）高速公路洛南段", K::RoadExpNew, 46.3, "lnls", "PT"),
    p(LN, "洛南县保安至石门二级公路新建工程", K::RoadC2NewLong, 31.5, "sljt", "PT"),
    p(LN, "洛南县黄龙铺钼矿采选扩建项目", K::NonferrousMine, 0.0, "lnhl", "PT"),
    p(LN, "洛南县石门水库工程", K::Reservoir, 12_500_000.0, "lnslj", "PT"),
    p(LN, "洛南县疾病预防控制中心业务用房新建项目", K::Cdc, 0.0, "lncdc", ""),
    p(LN, "洛南县100MW农光互补光伏发电项目", K::PvGround, 100_000.0, "lnxny", "PT"),
    p(LN, "洛南县医院住院综合楼建设项目", K::Hospital, 300.0, "lnyy", "T"),
    p(LN, "洛南县医院DSA介入诊疗中心建设项目", K::Dsa, 0.0, "lnyy", ""),
    p(LN, "洛南县城乡供水一体化工程", K::WaterPlant, 0.0, "lnslj", "PT"),
    p(LN, "洛南县洛河城区段综合治理工程", K::River, 0.0, "lnslj", ""),
    p(LN, "洛南县110千伏古城输变电工程", K::Sub110, 110.0, "slgd", ""),
    p(LN, "洛南县城至音乐小镇一级公路改建工程", K::RoadC1Renov, 12.4, "lnjt", "T"),
    p(LN, "洛南县餐厨垃圾处理项目", K::KitchenSmall, 30.0, "lnzj", ""),
    p(LN, "洛南县第二污水处理厂新建工程", K::Sewage, 10000.0, "lnzj", ""),
    p(LN, "洛南县石门镇建筑石料矿开采项目", K::Quarry, 0.0, "lnxt", ""),
    p(LN, "洛南县年产60万吨水泥粉磨站项目", K::CementGrinding, 0.0, "lnqy", "U"),
    p(LN, "洛南县年产2万吨核桃精深加工项目", K::Food, 0.0, "lnsp", ""),
    p(LN, "洛南县西城高级中学新建项目", K::School, 56000.0, "lnjy", ""),
    p(LN, "洛南县东河灌区新建工程", K::Irrigation, 0.0, "lnslj", ""),
    p(LN, "洛南县年产10万吨饲料加工项目", K::Feed, 100_000.0, "lnsl", ""),
    p(LN, "洛南县仓颉文化园景区基础设施提升项目", K::ScenicUpgrade, 0.0, "lnwl", ""),
    p(LN, "洛南县景村镇污水处理站建设项目", K::SewageSmall, 400.0, "lnzj", ""),
    p(LN, "洛南县古城镇地质灾害综合治理工程", K::GeoHazard, 0.0, "lnzr", ""),
    p(LN, "洛南县产业园区厂房屋顶分布式光伏项目", K::PvRoof, 5000.0, "lnxny", ""),
    p(LN, "洛南县城区雨污分流改造工程", K::DrainPipe, 0.0, "lnzj", ""),
    p(LN, "洛南县农村饮水安全巩固提升工程", K::VillageWater, 0.0, "lnslj", ""),
    p(LN, "洛南县高标准农田建设项目", K::Farmland, 0.0, "lnny", ""),
    p(LN, "洛南县县城至保安公路路面维修改造工程", K::RoadMaint, 21.3, "lnjt", ""),
    p(LN, "洛南县西湖城市公园建设项目", K::CityPark, 0.0, "lnzj", ""),
    p(LN, "洛南县全民健身中心", K::Stadium, 0.0, "lnjy", ""),
    p(LN, "洛南县第三幼儿园建设项目", K::SchoolNoLab, 6200.0, "lnjy", ""),
    p(LN, "洛南县保障性租赁住房项目", K::Housing, 0.0, "lncjt", ""),
    p(LN, "洛南县智慧农业大数据平台", K::SmartAgri, 0.0, "lnny", ""),
    p(LN, "洛南县整县屋顶分布式光伏（户用）项目", K::PvHousehold, 30000.0, "lnxny", ""),
    // ---- 丹凤县 (30) ----
    p(DF, "丹凤县年产3000千升葡萄酒扩能项目", K::Wine, 3000.0, "dfpj", "T"),
    p(DF, "丹凤县武关河水电站增效扩容改造", K::HydroRetrofit, 12600.0, "djsd", "PT"),
    p(DF, "丹凤县老君河水电站增效扩容改造", K::HydroRetrofit, 3200.0, "djsd", ""),
    p(DF, "丹凤县龙驹寨至竹林关公路改建工程", K::RoadC2Renov, 24.5, "dfjt", "PT"),
    p(DF, "丹凤县城区污水处理厂扩建工程", K::Sewage, 15000.0, "dfzj", ""),
    p(DF, "丹凤县110千伏商镇输变电工程", K::Sub110, 110.0, "slgd", ""),
    p(DF, "丹凤县凤冠山景区客运索道建设项目", K::Cableway, 0.0, "dfly", ""),
    p(DF, "丹凤县医院门诊住院综合楼建设项目", K::Hospital, 200.0, "dfyy", ""),
    p(DF, "丹凤县丹江城区段防洪工程", K::Flood, 0.0, "dfslj", ""),
    p(DF, "丹凤县年产80万吨建筑用砂石料加工项目", K::StoneProcessing, 0.0, "dfss", ""),
    p(DF, "丹凤县年产30万立方米商品混凝土搅拌站项目", K::Concrete, 0.0, "dfhn", "U"),
    p(DF, "丹凤县城区生活垃圾转运站建设项目", K::Transfer, 160.0, "dfzj", ""),
    p(DF, "丹凤中学新校区建设项目", K::School, 48000.0, "dfjy", ""),
    p(DF, "丹凤县蔡川50MW风电场项目", K::Wind, 50000.0, "dffd", "PT"),
    p(DF, "丹凤县年产5000吨香菇精深加工项目", K::Food, 0.0, "dfsj", ""),
    p(DF, "丹凤县棣花古镇景区提质升级项目", K::ScenicUpgrade, 0.0, "dfdh", "T"),
    p(DF, "丹凤县竹林关镇污水处理站建设项目", K::SewageSmall, 450.0, "dfzj", ""),
    p(DF, "丹凤县核桃提质增效示范基地建设项目", K::EconForest, 0.0, "dfny", ""),
    p(DF, "丹凤县公路养护工区及服务设施建设项目", K::RoadAncillary, 0.0, "dfjt", ""),
    p(DF, "丹凤县农村公路提质改造工程", K::RoadC4Renov, 64.0, "dfjt", ""),
    p(DF, "丹凤县城区供水管网改造工程", K::WaterPipe, 0.0, "dfzj", ""),
    p(DF, "丹凤县高标准农田建设项目", K::Farmland, 0.0, "dfny", ""),
    p(DF, "丹凤县城区背街小巷及支路改造工程", K::UrbanBranch, 0.0, "dfzj", ""),
    p(DF, "丹凤县社会福利中心建设项目", K::ElderlyHome, 7600.0, "dfmz", ""),
    p(DF, "丹凤县城区老旧小区改造项目", K::OldCommunity, 0.0, "dfzj", ""),
    p(DF, "丹凤县10千伏配电网改造工程", K::Grid10, 10.0, "slgd", ""),
    p(DF, "丹凤县龙驹寨城市公园建设项目", K::CityPark, 0.0, "dfcjt", ""),
    p(DF, "丹凤县电子商务物流园建设项目", K::Logistics, 0.0, "dfcjt", ""),
    p(DF, "丹凤县峦庄镇小型地质灾害治理工程", K::GeoHazardSmall, 0.0, "dfzr", ""),
    p(DF, "丹凤县丹参等中药材产地初加工项目", K::TcmSlicing, 0.0, "dfbc", ""),
    // ---- 商南县 (28) ----
    p(SN, "商南县试马镇石墨矿采选项目", K::NonmetalMine, 0.0, "snsm", "PT"),
    p(SN, "商南县富水河综合治理工程", K::River, 0.0, "snslj", "T"),
    p(SN, "商南县金丝峡景区康养度假酒店项目", K::ScenicHotel, 0.0, "snjsx", "PT").sens(&["scenic_area"]),
    p(SN, "商南县丹江过风楼水电站增效扩容改造", K::HydroRetrofit, 8000.0, "djsd", ""),
    p(SN, "商南县城至金丝峡一级公路改建工程", K::RoadC1Renov, 26.0, "snjt", "PTC"),
    p(SN, "商南县城区第二污水处理厂建设项目", K::Sewage, 8000.0, "snzj", ""),
    p(SN, "商南县110千伏富水输变电工程", K::Sub110, 110.0, "slgd", ""),
    p(SN, "商南县医院住院综合楼建设项目", K::Hospital, 240.0, "snyy", ""),
    p(SN, "商南县年产20万立方米商品混凝土项目", K::Concrete, 0.0, "snqd", ""),
    p(SN, "商南县长岭矿区矿石破碎集运项目", K::OreCrushing, 0.0, "sncl", ""),
    p(SN, "商南县白浪至湘河旅游公路改建工程", K::RoadC3SensRf, 18.0, "snjt", "").sens(&["forest_park"]),
    p(SN, "商南县十里坪50MW风电场项目", K::Wind, 50000.0, "snfd", "PT"),
    p(SN, "商南县高级中学新校区建设项目", K::School, 52000.0, "snjy", ""),
    p(SN, "商南县城区生活垃圾转运站建设项目", K::Transfer, 150.0, "snzj", ""),
    p(SN, "商南县金丝峡景区游客服务中心提升项目", K::ScenicUpgrade, 0.0, "snjsx", "T"),
    p(SN, "商南县清油河镇污水处理站建设项目", K::SewageSmall, 300.0, "snzj", ""),
    p(SN, "商南县城区排涝泵站建设项目", K::DrainagePump, 0.0, "snslj", ""),
    p(SN, "商南县5G网络覆盖提升项目", K::FiveG, 0.0, "slyd", ""),
    p(SN, "商南县茶叶精深加工项目", K::Tea, 0.0, "snqm", ""),
    p(SN, "商南县农村饮水安全巩固提升工程", K::VillageWater, 0.0, "snslj", ""),
    p(SN, "商南县高标准农田建设项目", K::Farmland, 0.0, "snny", ""),
    p(SN, "商南县县城雨污分流改造工程", K::DrainPipe, 0.0, "snzj", ""),
    p(SN, "商南县城区滨河路新建工程", K::UrbanSecondary, 0.0, "sncjt", ""),
    p(SN, "商南县城关第二幼儿园建设项目", K::SchoolNoLab, 5600.0, "snjy", ""),
    p(SN, "商南县10千伏农村电网改造升级工程", K::Grid10, 10.0, "slgd", ""),
    p(SN, "商南县保障性租赁住房项目", K::Housing, 0.0, "sncjt", ""),
    p(SN, "商南县县城至富水公路大修工程", K::RoadMaint, 16.8, "snjt", ""),
    p(SN, "商南县产业园区标准化厂房建设项目", K::StdFactory, 0.0, "sncjt", ""),
    // ---- 山阳县 (34) ----
    p(SY, "山阳抽水蓄能电站", K::PumpedStorage, 1_400_000.0, "sycx", "PT"),
    p(SY, "山阳县中村钒矿采选技改项目", K::VanadiumMine, 0.0, "syfk", "PT"),
    p(SY, "山阳县天竺山至漫川关旅游公路新建工程", K::RoadC2NewSens, 21.4, "syjt", "PT").sens(&["forest_park"]),
    p(SY, "山阳县年产3000吨五氧化二钒冶炼项目", K::Smelting, 0.0, "syfk", "P"),
    p(SY, "商洛至山阳天然气输气管道工程", K::GasPipeSens, 0.0, "slrq", "PT").sens(&["drinking_water_source"]),
    p(SY, "G242线山阳至漫川关段公路改建工程", K::RoadC2Renov, 38.2, "syjt", "PT"),
    p(SY, "天竺山景区客运索道建设项目", K::Cableway, 0.0, "sywl", "T"),
    p(SY, "山阳县人民医院住院综合楼建设项目", K::Hospital, 260.0, "syyy", ""),
    p(SY, "山阳县城区污水处理厂扩建工程", K::Sewage, 12000.0, "syzj", ""),
    p(SY, "山阳县110千伏高坝输变电工程", K::Sub110, 110.0, "slgd", ""),
    p(SY, "山阳县金钱河综合治理工程", K::River, 0.0, "syslj", ""),
    p(SY, "山阳县色河铺镇建筑石料矿开采项目", K::Quarry, 0.0, "syqf", "B"),
    p(SY, "山阳县年产60万立方米商品混凝土搅拌站项目", K::Concrete, 0.0, "syhd", "D"),
    p(SY, "山阳县年产5000吨中药饮片加工项目", K::TcmProcessing, 0.0, "syyf", ""),
    p(SY, "山阳县60MW农光互补光伏发电项目", K::PvGround, 60000.0, "syxn", "PT"),
    p(SY, "山阳县餐厨垃圾处理项目", K::KitchenSmall, 20.0, "syzj", ""),
    p(SY, "山阳中学新校区建设项目", K::School, 61000.0, "syjy", ""),
    p(SY, "山阳县殡仪馆建设项目", K::Funeral, 0.0, "symz", ""),
    p(SY, "山阳县中村钒矿区生态修复治理工程", K::MineRestoration, 0.0, "syfk", ""),
    p(SY, "漫川关古镇景区基础设施提升项目", K::ScenicUpgrade, 0.0, "sywl", "PT"),
    p(SY, "山阳县法官镇污水处理站建设项目", K::SewageSmall, 200.0, "syzj", ""),
    p(SY, "山阳县西照川镇地质灾害综合治理工程", K::GeoHazard, 0.0, "syzr", ""),
    p(SY, "山阳县年出栏800头肉牛养殖场建设项目", K::CattleFarm, 4000.0, "synn", ""),
    p(SY, "山阳县农村公路提质改造工程", K::RoadC4Renov, 72.3, "syjt", ""),
    p(SY, "山阳县丰阳塔城市公园建设项目", K::CityPark, 0.0, "syzj", ""),
    p(SY, "山阳县城区供水管网改造工程", K::WaterPipe, 0.0, "syzj", ""),
    p(SY, "山阳县高标准农田建设项目", K::Farmland, 0.0, "syny", ""),
    p(SY, "山阳县文化艺术中心建设项目", K::Stadium, 0.0, "sycjt", ""),
    p(SY, "山阳县保障性租赁住房项目", K::Housing, 0.0, "sycjt", ""),
    p(SY, "山阳县10千伏农村电网改造升级工程", K::Grid10, 10.0, "slgd", ""),
    p(SY, "山阳县水毁道路应急保通工程", K::RoadEmergency, 6.5, "syjt", ""),
    p(SY, "山阳县电子商务物流产业园建设项目", K::Logistics, 0.0, "sycjt", ""),
    p(SY, "山阳县中药材规范化种植基地建设项目", K::HerbBase, 0.0, "syyf", ""),
    p(SY, "山阳县城关第三小学建设项目", K::SchoolNoLab, 12000.0, "syjy", ""),
    // ---- 镇安县 (30) ----
    p(ZA, "镇安县木王至米粮二级公路新建工程", K::RoadC2NewSens, 26.8, "zajt", "PT").sens(&["forest_park"]),
    p(ZA, "镇安县月河金矿采选扩建项目", K::NonferrousMine, 0.0, "zajk", "PT"),
    p(ZA, "镇安县医院新院区建设项目", K::HospitalLarge, 500.0, "zayy", "PT"),
    p(ZA, "镇安抽水蓄能电站330千伏送出工程", K::Line330Sens, 330.0, "slgd", "PT").sens(&["residential_area"]),
    p(ZA, "镇安抽水蓄能电站配套道路", K::RoadC2NewShort, 12.8, "zacx", "PT"),
    p(ZA, "镇安县旬河水电站增效扩容改造", K::HydroRetrofit, 6400.0, "zasd", ""),
    p(ZA, "镇安县城区污水处理厂扩建工程", K::Sewage, 10000.0, "zazj", ""),
    p(ZA, "镇安县塔云山景区客运索道建设项目", K::Cableway, 0.0, "zaty", "T"),
    p(ZA, "镇安县乾佑河城区段综合治理工程", K::River, 0.0, "zaslj", ""),
    p(ZA, "镇安县110千伏云盖寺输变电工程", K::Sub110, 110.0, "slgd", ""),
    p(ZA, "镇安县年产30万吨建筑石料矿开采项目", K::Quarry, 0.0, "zajc", "U"),
    p(ZA, "镇安中学扩建项目", K::School, 38000.0, "zajy", ""),
    p(ZA, "镇安县城区生活垃圾转运站建设项目", K::Transfer, 180.0, "zazj", ""),
    p(ZA, "镇安县年产3000吨板栗精深加工项目", K::Food, 0.0, "zasp", ""),
    p(ZA, "镇安县西口回族镇30MW光伏发电项目", K::PvGround, 30000.0, "zagf", ""),
    p(ZA, "镇安县S102线城区至云盖寺段公路改建工程", K::RoadC2Renov, 15.0, "zajt", "L"),
    p(ZA, "镇安县云盖寺古镇景区提升项目", K::ScenicUpgrade, 0.0, "zaty", ""),
    p(ZA, "镇安县米粮镇污水处理站建设项目", K::SewageSmall, 350.0, "zazj", ""),
    p(ZA, "镇安县5G基站建设项目", K::FiveG, 0.0, "sltt", ""),
    p(ZA, "镇安县农村公路提质改造工程", K::RoadC4Renov, 58.6, "zajt", ""),
    p(ZA, "镇安县农村饮水安全巩固提升工程", K::VillageWater, 0.0, "zaslj", ""),
    p(ZA, "镇安县高标准农田建设项目", K::Farmland, 0.0, "zany", ""),
    p(ZA, "镇安县城区雨污分流改造工程", K::DrainPipe, 0.0, "zazj", ""),
    p(ZA, "镇安县10千伏农村电网改造升级工程", K::Grid10, 10.0, "slgd", ""),
    p(ZA, "镇安县保障性租赁住房项目", K::Housing, 0.0, "zacjt", ""),
    p(ZA, "镇安县城关第二小学建设项目", K::SchoolNoLab, 11000.0, "zajy", ""),
    p(ZA, "镇安县智慧旅游服务平台", K::SmartTourism, 0.0, "zaty", ""),
    p(ZA, "镇安县城区支路网改造工程", K::UrbanBranch, 0.0, "zazj", ""),
    p(ZA, "镇安县水毁道路应急保通工程", K::RoadEmergency, 4.8, "zajt", ""),
    p(ZA, "镇安县中药材规范化种植基地建设项目", K::HerbBase, 0.0, "zany", ""),
    // ---- 柞水县 (25) ----
    p(ZS, "柞水县大西沟铁矿采选技术改造项目", K::IronMine, 0.0, "dxg", "PT"),
    p(ZS, "柞水县大西沟铁矿尾矿库扩建工程", K::Tailings, 0.0, "dxg", "P"),
    p(ZS, "柞水县营盘至牛背梁旅游公路新建工程", K::RoadC2NewSens, 14.2, "zsjt", "PT").sens(&["scenic_area"]),
    p(ZS, "柞水县年产2000吨中药提取物精制项目", K::TcmRefining, 0.0, "zsbc", "P"),
    p(ZS, "大西沟矿区生态修复治理工程", K::MineRestoration, 0.0, "dxg", "T"),
    p(ZS, "柞水县乾佑河城区段综合治理工程", K::River, 0.0, "zsslj", ""),
    p(ZS, "柞水县城区污水处理厂扩建工程", K::Sewage, 6000.0, "zszj", ""),
    p(ZS, "柞水县110千伏营盘输变电工程", K::Sub110, 110.0, "slgd", ""),
    p(ZS, "柞水县医院综合住院楼建设项目", K::Hospital, 150.0, "zsyy", ""),
    p(ZS, "柞水县年产1万吨木耳精深加工项目", K::Food, 0.0, "zsme", "T"),
    p(ZS, "柞水县凤凰古镇至溶洞景区道路改建工程", K::RoadC3SensRf, 8.6, "zsjt", "").sens(&["scenic_area"]),
    p(ZS, "柞水县下梁镇建筑石料矿开采项目", K::Quarry, 0.0, "zsjc", "B"),
    p(ZS, "柞水县城区高级中学迁建项目", K::School, 45000.0, "zsjy", ""),
    p(ZS, "柞水县餐厨垃圾处理项目", K::KitchenSmall, 15.0, "zszj", ""),
    p(ZS, "柞水县城区加油加气综合站建设项目", K::FuelStation, 0.0, "zsrq", ""),
    p(ZS, "柞水县牛背梁景区基础设施提升项目", K::ScenicUpgrade, 0.0, "zsnbl", "PT"),
    p(ZS, "柞水县营盘镇污水处理站建设项目", K::SewageSmall, 300.0, "zszj", ""),
    p(ZS, "柞水县农村公路提质改造工程", K::RoadC4Renov, 47.2, "zsjt", ""),
    p(ZS, "柞水县高标准农田建设项目", K::Farmland, 0.0, "zsny", ""),
    p(ZS, "柞水县城区供水管网改造工程", K::WaterPipe, 0.0, "zszj", ""),
    p(ZS, "柞水县10千伏农村电网改造升级工程", K::Grid10, 10.0, "slgd", ""),
    p(ZS, "柞水县保障性租赁住房项目", K::Housing, 0.0, "zscjt", ""),
    p(ZS, "柞水县木耳产业大数据平台", K::SmartAgri, 0.0, "zsme", ""),
    p(ZS, "柞水县城关第二小学建设项目", K::SchoolNoLab, 9000.0, "zsjy", ""),
    p(ZS, "柞水县乾佑河城市公园建设项目", K::CityPark, 0.0, "zscjt", ""),
];

// ---------------------------------------------------------------------------------------------
// Filings
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Act {
    Submit,
    RequestCorrection,
    Resubmit,
    Accept,
    Refuse,
    StartEvaluation,
    FinishEvaluation,
    Approve,
    Disapprove,
    Register,
}

impl Act {
    /// (action, to_state, actor)
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Act::Submit => ("submit", "submitted", "owner"),
            Act::RequestCorrection => ("request_correction", "correction_requested", "officer"),
            Act::Resubmit => ("resubmit", "submitted", "owner"),
            Act::Accept => ("accept", "accepted", "officer"),
            Act::Refuse => ("refuse", "refused", "officer"),
            Act::StartEvaluation => ("start_evaluation", "technical_evaluation", "officer"),
            Act::FinishEvaluation => ("finish_evaluation", "pre_decision_notice", "officer"),
            Act::Approve => ("approve", "approved", "officer"),
            Act::Disapprove => ("disapprove", "disapproved", "officer"),
            Act::Register => ("register", "registered", "owner"),
        }
    }
}

fn step(act: Act, on: NaiveDate, reason: Option<String>) -> DemoStep {
    let (action, to_state, actor) = act.names();
    DemoStep {
        action,
        to_state,
        on,
        actor,
        reason,
        decision_no: None,
    }
}

/// The reason given when a built-before-approval project is refused (local practice, 环评法 Art. 31).
pub const REFUSE_REASON_UNSETTLED_PENALTY: &str = "项目未批先建，处罚尚未履行完毕，不予受理。该项目因未依法报批环境影响评价文件擅自开工建设，已依据《中华人民共和国环境影响评价法》第三十一条立案处罚，罚款尚未缴清；待处罚履行完毕后可重新申报。";

const DISAPPROVE_REASON: &str = "依据《建设项目环境保护管理条例》第十一条第（三）项，建设项目采取的污染防治措施无法确保污染物排放达到国家和地方排放标准：项目拟选厂址距高坝店镇居民集中区不足200米，骨料堆场未全封闭，粉尘和噪声防治措施无法确保达标排放，决定不予批准。";

const CORRECTION_REASONS: &[&str] = &[
    "一次性告知补正：1.项目与《陕西省秦岭生态环境保护总体规划》符合性分析；2.环境质量现状监测报告原件；3.建设单位对环评文件内容真实性的承诺书。",
    "一次性告知补正：1.项目选址意见书或用地预审意见；2.水土保持方案批复文件；3.环评文件全本公开情况说明。",
    "一次性告知补正：1.主要污染物排放总量指标来源说明；2.环境风险应急措施章节；3.删除涉及国家秘密、商业秘密内容的公示文本。",
    "一次性告知补正：1.涉及环境敏感区主管部门意见；2.施工期生态保护措施图件；3.建设项目环评审批基础信息表。",
];

/// Submission up to and including acceptance on `accept`.
fn submission_steps(rng: &mut Rng, accept: NaiveDate, with_correction: bool) -> Vec<DemoStep> {
    if with_correction {
        let resubmit = add_wd(accept, -rng.range(1, 4));
        let requested = add_wd(resubmit, -rng.range(5, 15));
        let submit = add_wd(requested, -rng.range(1, 4));
        let reason = (*rng.pick(CORRECTION_REASONS)).to_string();
        vec![
            step(Act::Submit, submit, None),
            step(Act::RequestCorrection, requested, Some(reason)),
            step(Act::Resubmit, resubmit, None),
            step(Act::Accept, accept, None),
        ]
    } else {
        let submit = add_wd(accept, -rng.range(1, 5));
        vec![
            step(Act::Submit, submit, None),
            step(Act::Accept, accept, None),
        ]
    }
}

/// Technical evaluation, pre-decision notice (at least 5 working days) and the decision.
fn decision_steps(
    rng: &mut Rng,
    tier: Tier,
    accept: NaiveDate,
    outcome: Act,
    steps: &mut Vec<DemoStep>,
) {
    let (start_wd, eval_wd) = if tier == Tier::Report {
        (rng.range(1, 3), rng.range(10, 25))
    } else {
        (rng.range(1, 2), rng.range(5, 10))
    };
    let start = add_wd(accept, start_wd);
    let finish = add_wd(start, eval_wd);
    let decide = add_wd(finish, rng.range(5, 7));
    steps.push(step(Act::StartEvaluation, start, None));
    steps.push(step(Act::FinishEvaluation, finish, None));
    let reason = (outcome == Act::Disapprove).then(|| DISAPPROVE_REASON.to_string());
    steps.push(step(outcome, decide, reason));
}

/// Month quotas of the first acceptance / registration of the 152 ordinary required projects,
/// shaping the month-end curve (the six special projects have fixed dates).
const ACCEPTANCE_QUOTAS: &[(NaiveDate, usize)] = &[
    (ymd(2022, 8, 1), 4),
    (ymd(2022, 9, 1), 22),
    (ymd(2022, 10, 1), 14),
    (ymd(2022, 11, 1), 15),
    (ymd(2022, 12, 1), 24),
    (ymd(2023, 1, 1), 20),
    (ymd(2023, 2, 1), 14),
    (ymd(2023, 3, 1), 13),
    (ymd(2023, 4, 1), 12),
    (ymd(2023, 5, 1), 9),
    (ymd(2023, 6, 1), 5),
];

/// Submission dates of the three refused built-before-approval filings, in table order.
const REFUSED_SUBMISSIONS: &[NaiveDate] = &[ymd(2023, 3, 14), ymd(2023, 4, 18), ymd(2023, 5, 16)];

fn special_filing(
    flags: &str,
    tier: Tier,
    rng: &mut Rng,
    refused_seen: &mut usize,
) -> Option<Vec<DemoStep>> {
    if flags.contains('U') {
        let submit = REFUSED_SUBMISSIONS[(*refused_seen).min(REFUSED_SUBMISSIONS.len() - 1)];
        *refused_seen += 1;
        return Some(vec![
            step(Act::Submit, submit, None),
            step(
                Act::Refuse,
                add_wd(submit, 2),
                Some(REFUSE_REASON_UNSETTLED_PENALTY.to_string()),
            ),
        ]);
    }
    if flags.contains('C') {
        // Correction requested in June, answered only in July.
        let submit = ymd(2023, 6, 7);
        let resubmit = ymd(2023, 7, 11);
        let accept = add_wd(resubmit, 3);
        let mut steps = vec![
            step(Act::Submit, submit, None),
            step(
                Act::RequestCorrection,
                add_wd(submit, 3),
                Some(CORRECTION_REASONS[0].to_string()),
            ),
            step(Act::Resubmit, resubmit, None),
            step(Act::Accept, accept, None),
        ];
        decision_steps(rng, tier, accept, Act::Approve, &mut steps);
        return Some(steps);
    }
    if flags.contains('L') {
        // Submitted in the last days of June, accepted in July.
        let submit = ymd(2023, 6, 28);
        let accept = add_wd(submit, 4);
        let mut steps = vec![
            step(Act::Submit, submit, None),
            step(Act::Accept, accept, None),
        ];
        decision_steps(rng, tier, accept, Act::Approve, &mut steps);
        return Some(steps);
    }
    if flags.contains('D') {
        let submit = ymd(2023, 2, 13);
        let accept = add_wd(submit, 3);
        let start = add_wd(accept, 1);
        let finish = add_wd(start, 10);
        return Some(vec![
            step(Act::Submit, submit, None),
            step(Act::Accept, accept, None),
            step(Act::StartEvaluation, start, None),
            step(Act::FinishEvaluation, finish, None),
            step(
                Act::Disapprove,
                add_wd(finish, 5),
                Some(DISAPPROVE_REASON.to_string()),
            ),
        ]);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

/// 1204.23 亿元 = 12,042,300.00 万元, in hundredths of 万元.
pub const TOTAL_INVESTMENT_HUNDREDTHS: i64 = 1_204_230_000;

/// Share of the required investment held by the five filings not accepted at 2023-06-30, in
/// basis points; 300 makes the rate by investment 0.9700.
const NOT_ACCEPTED_SHARE_BP: i128 = 300;

fn raw_investment(sp: &Spec, q: f64, rng: &mut Rng) -> i64 {
    let base = match sp.inv {
        Inv::Range(lo, hi) => {
            // Skewed towards the low end: most projects are modest, a few are large.
            let u = rng.below(10_001) as i64;
            let w = (u * u / 10_000 + u) / 2;
            lo * 100 + (hi - lo) * 100 * w / 10_000
        }
        Inv::PerUnit(rate) => {
            let base = (q * rate * 100.0) as i64;
            base * rng.range(85, 115) / 100
        }
    };
    base.max(100_000) + rng.range(0, 99)
}

/// Scale `values[idx]` so they sum to `target` exactly; the remainder goes to the largest.
fn scale_to(values: &mut [i64], idx: &[usize], target: i64) {
    let sum: i128 = idx.iter().map(|&i| i128::from(values[i])).sum();
    if sum <= 0 || idx.is_empty() {
        return;
    }
    let mut assigned: i128 = 0;
    for &i in idx {
        let v = i128::from(values[i]) * i128::from(target) / sum;
        values[i] = v as i64;
        assigned += v;
    }
    if let Some(&largest) = idx.iter().max_by_key(|&&i| values[i]) {
        values[largest] += (i128::from(target) - assigned) as i64;
    }
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

const FIRST_LISTING: NaiveDate = ymd(2022, 6, 1);
const LAST_LISTING: NaiveDate = ymd(2023, 3, 31);

/// The demo ledger. Deterministic: every call returns the same value.
pub fn generate() -> DemoLedger {
    let organizations: Vec<DemoOrganization> = ORGS.iter().map(build_organization).collect();

    let specs: Vec<Spec> = PROJECTS.iter().map(|r| spec(r.kind)).collect();
    let mut projects: Vec<DemoProject> = PROJECTS
        .iter()
        .zip(&specs)
        .map(|(row, sp)| {
            let organization = ORGS
                .iter()
                .position(|o| o.slug == row.org)
                .expect("constant table: every project names a known organisation");
            let construction = construction_from_name(row.name);
            let mut classification = DemoClassification {
                rows: if sp.row == 0 { vec![] } else { vec![sp.row] },
                facts: facts(row.kind, row.q, row.sens, construction),
                manual_clauses: manual_clauses(sp),
                tier: sp.tier(),
                basis: String::new(),
                policy_exemption: (sp.how == How::Policy).then(|| POLICY_2020_13.to_string()),
                decided_on: FIRST_LISTING,
            };
            classification.basis = basis(sp, row, &classification);
            DemoProject {
                name: row.name.to_string(),
                project_code: String::new(),
                organization,
                county_code: row.county,
                provincial: row.flags.contains('P'),
                municipal: true,
                industry: sp.industry,
                investment_hundredths: 0,
                point_to_point: row.flags.contains('T'),
                built_before_approval: row.flags.contains(['B', 'U']),
                penalty_settled: row.flags.contains('B'),
                listed_on: FIRST_LISTING,
                status_verified_on: PUBLISHED_AS_OF,
                classification,
                filing: None,
            }
        })
        .collect();

    assign_investments(&mut projects, &specs);
    assign_filings(&mut projects);
    assign_dates_and_codes(&mut projects);
    assign_decision_numbers(&mut projects);

    DemoLedger {
        organizations,
        projects,
    }
}

fn assign_investments(projects: &mut [DemoProject], specs: &[Spec]) {
    let mut values: Vec<i64> = PROJECTS
        .iter()
        .zip(specs)
        .map(|(row, sp)| {
            raw_investment(sp, row.q, &mut Rng::for_key(&format!("{}/money", row.name)))
        })
        .collect();
    let raw = values.clone();
    let all: Vec<usize> = (0..values.len()).collect();
    scale_to(&mut values, &all, TOTAL_INVESTMENT_HUNDREDTHS);

    let required: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| projects[i].classification.tier != Tier::Exempt)
        .collect();
    let (not_accepted, accepted): (Vec<usize>, Vec<usize>) = required
        .iter()
        .partition(|&&i| PROJECTS[i].flags.contains(['U', 'C', 'L']));
    let required_total: i128 = required.iter().map(|&i| i128::from(values[i])).sum();
    let not_accepted_total = (required_total * NOT_ACCEPTED_SHARE_BP / 10_000) as i64;
    // Keep the relative sizes of the not-accepted projects as drawn.
    for &i in &not_accepted {
        values[i] = raw[i];
    }
    scale_to(&mut values, &not_accepted, not_accepted_total);
    scale_to(
        &mut values,
        &accepted,
        (required_total as i64) - not_accepted_total,
    );

    for (p, v) in projects.iter_mut().zip(values) {
        p.investment_hundredths = v;
    }
}

fn assign_filings(projects: &mut [DemoProject]) {
    let mut refused_seen = 0;
    let mut ordinary = Vec::new();
    for (i, p) in projects.iter_mut().enumerate() {
        let tier = p.classification.tier;
        if tier == Tier::Exempt {
            continue;
        }
        let mut rng = Rng::for_key(&format!("{}/filing", p.name));
        match special_filing(PROJECTS[i].flags, tier, &mut rng, &mut refused_seen) {
            Some(steps) => p.filing = Some(DemoFiling { tier, steps }),
            None => ordinary.push(i),
        }
    }

    // Spread the ordinary filings over the month quotas in a fixed shuffled order.
    let mut rng = Rng::new(SEED);
    for i in (1..ordinary.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        ordinary.swap(i, j);
    }
    let mut months = ACCEPTANCE_QUOTAS
        .iter()
        .flat_map(|&(first, n)| std::iter::repeat_n(first, n));
    let last_month = ACCEPTANCE_QUOTAS[ACCEPTANCE_QUOTAS.len() - 1].0;
    for i in ordinary {
        let first = months.next().unwrap_or(last_month);
        let p = &mut projects[i];
        let tier = p.classification.tier;
        let mut rng = Rng::for_key(&format!("{}/filing", p.name));
        let key = working_day_in_month(first, &mut rng);
        let steps = if tier == Tier::RegistrationForm {
            vec![step(Act::Register, key, None)]
        } else {
            let with_correction = rng.chance(18);
            let mut steps = submission_steps(&mut rng, key, with_correction);
            decision_steps(&mut rng, tier, key, Act::Approve, &mut steps);
            steps
        };
        p.filing = Some(DemoFiling { tier, steps });
    }
}

fn assign_dates_and_codes(projects: &mut [DemoProject]) {
    let mut serials = BTreeSet::new();
    for p in projects.iter_mut() {
        let mut rng = Rng::for_key(&format!("{}/dates", p.name));
        let first_step = p
            .filing
            .as_ref()
            .and_then(|f| f.steps.first())
            .map(|s| s.on);
        match first_step {
            Some(first) => {
                let latest = first.min(LAST_LISTING);
                // Both snaps stay inside [FIRST_LISTING, first]: those two are working days.
                p.listed_on = snap_wd(
                    (latest - Duration::days(rng.range(10, 100))).max(FIRST_LISTING),
                    -1,
                );
                let span = (first - p.listed_on).num_days().max(0);
                p.classification.decided_on =
                    snap_wd(p.listed_on + Duration::days(rng.range(0, span)), 1);
            }
            None => {
                let span = (LAST_LISTING - FIRST_LISTING).num_days();
                p.listed_on = snap_wd(FIRST_LISTING + Duration::days(rng.range(0, span)), -1)
                    .max(FIRST_LISTING);
                p.classification.decided_on =
                    snap_wd(p.listed_on + Duration::days(rng.range(1, 30)), 1);
            }
        }

        // Status checked in the bureau's H1 round-up, never before the last step it saw.
        let last_seen = p
            .filing
            .as_ref()
            .and_then(|f| f.steps.iter().rev().find(|s| s.on <= PUBLISHED_AS_OF))
            .map_or(p.classification.decided_on, |s| s.on)
            .max(p.classification.decided_on);
        let round_up = add_wd(ymd(2023, 5, 15), rng.range(0, 30)).min(PUBLISHED_AS_OF);
        p.status_verified_on = last_seen.max(round_up).min(PUBLISHED_AS_OF);

        // 投资项目统一代码: coded some time before listing.
        let listed = p.listed_on;
        let year = (listed.year() - rng.range(0, 3) as i32).max(2019);
        let max_month = if year == listed.year() {
            listed.month()
        } else {
            12
        };
        let month = rng.range(1, i64::from(max_month)) as u32;
        let mut serial = rng.range(0, 999_999);
        while !serials.insert(serial) {
            serial = rng.range(0, 999_999);
        }
        p.project_code = format!(
            "{:02}{:02}-{}-04-01-{:06}",
            year % 100,
            month,
            p.county_code,
            serial
        );
    }
}

fn assign_decision_numbers(projects: &mut [DemoProject]) {
    let mut decisions: Vec<(NaiveDate, usize, usize)> = Vec::new();
    for (pi, p) in projects.iter().enumerate() {
        if let Some(f) = &p.filing {
            for (si, s) in f.steps.iter().enumerate() {
                if matches!(s.action, "approve" | "disapprove") {
                    decisions.push((s.on, pi, si));
                }
            }
        }
    }
    decisions.sort();
    let mut rng = Rng::new(SEED ^ 0xdec1_5104);
    let mut year = 0;
    let mut number = 0;
    for (on, pi, si) in decisions {
        if on.year() != year {
            year = on.year();
            // Earlier decisions of the year were on projects outside the key-project ledger.
            number = if year == 2022 {
                rng.range(86, 96)
            } else {
                rng.range(0, 2)
            };
        }
        number += rng.range(1, 3);
        if let Some(f) = projects[pi].filing.as_mut() {
            f.steps[si].decision_no = Some(format!("商环批复〔{year}〕{number}号"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::filing;
    use crate::domain::role::Role;
    use std::collections::{BTreeMap, HashSet};

    fn ledger() -> DemoLedger {
        generate()
    }

    fn required(l: &DemoLedger) -> impl Iterator<Item = &DemoProject> {
        l.projects
            .iter()
            .filter(|p| p.classification.tier != Tier::Exempt)
    }

    fn month_end(y: i32, m: u32) -> NaiveDate {
        ymd(y, m, 1) + Months::new(1) - Duration::days(1)
    }

    #[test]
    fn published_counts() {
        let l = ledger();
        assert_eq!(l.projects.len(), 239);
        let exempt = l
            .projects
            .iter()
            .filter(|p| p.classification.tier == Tier::Exempt)
            .count();
        assert_eq!(exempt, 81);
        assert_eq!(required(&l).count(), 158);
        assert_eq!(l.projects.iter().filter(|p| p.point_to_point).count(), 59);
        assert!(l.projects.iter().all(|p| p.municipal));
    }

    #[test]
    fn total_investment_is_exact() {
        let l = ledger();
        let sum: i64 = l.projects.iter().map(|p| p.investment_hundredths).sum();
        assert_eq!(sum, 1_204_230_000);
        assert_eq!(sum, TOTAL_INVESTMENT_HUNDREDTHS);
        assert!(l.projects.iter().all(|p| p.investment_hundredths > 100_000));
        // Not all round figures.
        let round = l
            .projects
            .iter()
            .filter(|p| p.investment_hundredths % 100 == 0)
            .count();
        assert!(round < 10, "{round} round amounts");
        // The biggest are highways, hydropower and mines.
        let mut by_size: Vec<&DemoProject> = l.projects.iter().collect();
        by_size.sort_by_key(|p| std::cmp::Reverse(p.investment_hundredths));
        for p in &by_size[..5] {
            assert!(
                ["transport", "energy", "mining"].contains(&p.industry),
                "{}",
                p.name
            );
        }
    }

    #[test]
    fn every_county_has_projects_and_shangzhou_most() {
        let l = ledger();
        let mut by_county: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &l.projects {
            *by_county.entry(p.county_code).or_default() += 1;
        }
        assert_eq!(by_county.len(), 7);
        for division in crate::domain::ledger::SHANGLUO_DIVISIONS {
            let code = division.code;
            assert!(by_county.get(code).copied().unwrap_or(0) > 0, "{code}");
        }
        let shangzhou = by_county["611002"];
        assert!(
            by_county
                .iter()
                .all(|(c, &n)| *c == "611002" || n < shangzhou)
        );
    }

    #[test]
    fn tier_mix() {
        let l = ledger();
        let count = |t: Tier| {
            l.projects
                .iter()
                .filter(|p| p.classification.tier == t)
                .count()
        };
        assert!(
            (25..=35).contains(&count(Tier::Report)),
            "{}",
            count(Tier::Report)
        );
        assert!(
            (90..=110).contains(&count(Tier::ReportForm)),
            "{}",
            count(Tier::ReportForm)
        );
        assert!(
            (20..=30).contains(&count(Tier::RegistrationForm)),
            "{}",
            count(Tier::RegistrationForm)
        );
    }

    #[test]
    fn accepted_or_decided_at_published_date() {
        let l = ledger();
        assert_eq!(l.accepted_or_decided(PUBLISHED_AS_OF), 153);
        let not: Vec<&DemoProject> = required(&l)
            .filter(|p| {
                p.filing
                    .as_ref()
                    .is_some_and(|f| !f.accepted_or_decided_as_of(PUBLISHED_AS_OF))
            })
            .collect();
        assert_eq!(not.len(), 5);

        let refused: Vec<&&DemoProject> = not
            .iter()
            .filter(|p| {
                p.filing
                    .as_ref()
                    .is_some_and(|f| f.state_as_of(PUBLISHED_AS_OF) == "refused")
            })
            .collect();
        assert_eq!(refused.len(), 3);
        for p in &refused {
            assert!(p.built_before_approval && !p.penalty_settled, "{}", p.name);
            let f = p.filing.as_ref().expect("filing");
            let refuse = f
                .steps
                .iter()
                .find(|s| s.action == "refuse")
                .expect("refuse step");
            assert!(refuse.on <= PUBLISHED_AS_OF);
            assert!(
                refuse
                    .reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with("项目未批先建，处罚尚未履行完毕，不予受理"))
            );
        }
        // The other two: one waiting on a correction, one submitted at the end of June.
        let mut others: Vec<&str> = not
            .iter()
            .filter_map(|p| p.filing.as_ref())
            .map(|f| f.state_as_of(PUBLISHED_AS_OF))
            .filter(|s| *s != "refused")
            .collect();
        others.sort_unstable();
        assert_eq!(others, ["correction_requested", "submitted"]);
        // Nobody else is built-before-approval and unsettled.
        let unsettled = l
            .projects
            .iter()
            .filter(|p| p.built_before_approval && !p.penalty_settled)
            .count();
        assert_eq!(unsettled, 3);
    }

    #[test]
    fn one_report_form_disapproved_and_it_counts_as_decided() {
        let l = ledger();
        let disapproved: Vec<&DemoProject> = l
            .projects
            .iter()
            .filter(|p| {
                p.filing
                    .as_ref()
                    .is_some_and(|f| f.steps.iter().any(|s| s.action == "disapprove"))
            })
            .collect();
        assert_eq!(disapproved.len(), 1);
        let p = disapproved[0];
        assert_eq!(p.classification.tier, Tier::ReportForm);
        let f = p.filing.as_ref().expect("filing");
        assert_eq!(f.state_as_of(PUBLISHED_AS_OF), "disapproved");
        assert!(f.accepted_or_decided_as_of(PUBLISHED_AS_OF));
        let step = f
            .steps
            .iter()
            .find(|s| s.action == "disapprove")
            .expect("step");
        assert!(step.on < PUBLISHED_AS_OF);
        assert!(
            step.reason
                .as_deref()
                .is_some_and(|r| r.contains("《建设项目环境保护管理条例》第十一条"))
        );
        assert!(step.decision_no.is_some());
    }

    #[test]
    fn settled_built_before_approval_projects_were_accepted() {
        let l = ledger();
        let settled: Vec<&DemoProject> = l
            .projects
            .iter()
            .filter(|p| p.built_before_approval && p.penalty_settled)
            .collect();
        assert!(settled.len() >= 2);
        for p in settled {
            let f = p.filing.as_ref().expect("required");
            assert!(f.accepted_or_decided_as_of(PUBLISHED_AS_OF), "{}", p.name);
            assert!(f.steps.iter().all(|s| s.action != "refuse"));
        }
        assert!(
            l.projects
                .iter()
                .all(|p| p.built_before_approval || !p.penalty_settled)
        );
    }

    #[test]
    fn registration_forms_are_a_single_register_step() {
        let l = ledger();
        for p in l
            .projects
            .iter()
            .filter(|p| p.classification.tier == Tier::RegistrationForm)
        {
            let f = p.filing.as_ref().expect("filing");
            assert_eq!(f.steps.len(), 1, "{}", p.name);
            assert_eq!(f.steps[0].action, "register");
            assert_eq!(f.steps[0].actor, "owner");
            assert!(f.accepted_or_decided_as_of(PUBLISHED_AS_OF));
        }
        for p in l
            .projects
            .iter()
            .filter(|p| p.classification.tier != Tier::RegistrationForm)
        {
            let steps = p.filing.as_ref().map_or(&[][..], |f| &f.steps[..]);
            assert!(steps.iter().all(|s| s.action != "register"), "{}", p.name);
        }
    }

    #[test]
    fn acceptance_rate_by_investment_rounds_to_097() {
        let l = ledger();
        let req: i128 = required(&l)
            .map(|p| i128::from(p.investment_hundredths))
            .sum();
        let acc: i128 = required(&l)
            .filter(|p| {
                p.filing
                    .as_ref()
                    .is_some_and(|f| f.accepted_or_decided_as_of(PUBLISHED_AS_OF))
            })
            .map(|p| i128::from(p.investment_hundredths))
            .sum();
        // Rounded to 4 decimals (and so to 2): 0.9700.
        let basis_points = (acc * 20_000 + req) / (2 * req);
        assert_eq!(basis_points, 9_700);
        // By count: 153/158 = 0.9684.
        assert_eq!((153 * 20_000 + 158) / (2 * 158), 9_684);
    }

    #[test]
    fn deterministic() {
        assert_eq!(generate(), generate());
    }

    #[test]
    fn credit_codes_valid_unique_and_typed() {
        let l = ledger();
        assert!(
            (90..=130).contains(&l.organizations.len()),
            "{}",
            l.organizations.len()
        );
        let mut seen = HashSet::new();
        for (org, row) in l.organizations.iter().zip(ORGS) {
            let code = &org.credit_code;
            assert!(CreditCode::parse(code).is_ok(), "{} {code}", org.name);
            assert!(seen.insert(code.clone()), "duplicate {code}");
            let prefix = match row.kind {
                OrgKind::Enterprise => "91",
                OrgKind::Institution => "12",
                OrgKind::Organ => "11",
            };
            assert_eq!(&code[..2], prefix, "{}", org.name);
            assert_eq!(&code[2..8], row.area);
            assert!(
                row.area == CITY
                    || crate::domain::ledger::SHANGLUO_DIVISIONS
                        .iter()
                        .any(|d| d.code == row.area)
            );
            let body: [u8; 8] = code.as_bytes()[8..16].try_into().expect("8 bytes");
            assert_eq!(org_code_check_char(&body), char::from(code.as_bytes()[16]));
            assert!(org.contact_email.is_ascii() && org.contact_email.ends_with("@example.cn"));
            assert!(org.contact_phone.starts_with("0914-") && org.contact_phone.len() == 12);
            assert!(!org.contact_name.is_empty());
        }
    }

    #[test]
    fn project_codes_well_formed_and_unique() {
        let l = ledger();
        let mut seen = HashSet::new();
        for p in &l.projects {
            let c = p.project_code.as_bytes();
            assert_eq!(c.len(), 24, "{}", p.project_code);
            let digits = |r: std::ops::Range<usize>| c[r].iter().all(u8::is_ascii_digit);
            assert!(
                digits(0..4) && digits(5..11) && digits(12..14) && digits(15..17) && digits(18..24)
            );
            assert!(
                [4, 11, 14, 17].iter().all(|&i| c[i] == b'-'),
                "{}",
                p.project_code
            );
            let yy: u32 = p.project_code[0..2].parse().expect("digits");
            let mm: u32 = p.project_code[2..4].parse().expect("digits");
            assert!(
                (19..=23).contains(&yy) && (1..=12).contains(&mm),
                "{}",
                p.project_code
            );
            assert!(ymd(2000 + yy as i32, mm, 1) <= p.listed_on);
            assert_eq!(&p.project_code[5..11], p.county_code);
            assert_eq!(&p.project_code[12..17], "04-01");
            assert!(seen.insert(p.project_code.clone()));
        }
    }

    #[test]
    fn names_unique() {
        let l = ledger();
        let projects: HashSet<&str> = l.projects.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(projects.len(), l.projects.len());
        let orgs: HashSet<&str> = l.organizations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(orgs.len(), l.organizations.len());
        let slugs: HashSet<&str> = ORGS.iter().map(|o| o.slug).collect();
        assert_eq!(slugs.len(), ORGS.len());
    }

    #[test]
    fn every_organisation_has_a_project() {
        let l = ledger();
        for (i, o) in l.organizations.iter().enumerate() {
            assert!(l.projects.iter().any(|p| p.organization == i), "{}", o.name);
        }
    }

    #[test]
    fn steps_are_chronological_legal_and_well_attributed() {
        let l = ledger();
        for p in &l.projects {
            let Some(f) = &p.filing else { continue };
            assert_eq!(f.tier, p.classification.tier, "{}", p.name);
            let mut state = "draft";
            let mut prev: Option<NaiveDate> = None;
            let mut received: Option<NaiveDate> = None;
            for s in &f.steps {
                let role = if s.actor == "owner" {
                    Role::Owner
                } else {
                    Role::Officer
                };
                let tier = filing::Tier::try_from(f.tier).expect("a filing's tier is required");
                let action: filing::Action = s.action.parse().expect("known action");
                let from: filing::FilingState = state.parse().expect("known state");
                assert_eq!(
                    filing::transition(from, tier, action, role).map(|t| t.as_str()),
                    Ok(s.to_state),
                    "{}: {} from {state}",
                    p.name,
                    s.action
                );
                assert!(prev.is_none_or(|d| d <= s.on), "{}: dates go back", p.name);
                assert!(is_working_day(s.on), "{}: {} on {}", p.name, s.action, s.on);
                let owner = matches!(s.action, "submit" | "resubmit" | "withdraw" | "register");
                assert_eq!(s.actor, if owner { "owner" } else { "officer" });
                let with_reason =
                    matches!(s.action, "request_correction" | "refuse" | "disapprove");
                assert_eq!(s.reason.is_some(), with_reason, "{}: {}", p.name, s.action);
                let decision = matches!(s.action, "approve" | "disapprove");
                assert_eq!(s.decision_no.is_some(), decision);
                match s.action {
                    "submit" | "resubmit" => received = Some(s.on),
                    // Accept, refuse or ask for corrections within 5 working days of receipt.
                    "accept" | "refuse" | "request_correction" => {
                        let r = received.expect("received");
                        assert!(
                            s.on > r && s.on <= add_wd(r, 5),
                            "{}: {} too late",
                            p.name,
                            s.action
                        );
                    }
                    _ => {}
                }
                state = s.to_state;
                prev = Some(s.on);
            }
            let accept = f.steps.iter().find(|s| s.action == "accept").map(|s| s.on);
            let decided = f
                .steps
                .iter()
                .find(|s| matches!(s.action, "approve" | "disapprove"))
                .map(|s| s.on);
            if let (Some(a), Some(d)) = (accept, decided) {
                let (lo, hi) = if f.tier == Tier::Report {
                    (16, 45)
                } else {
                    (10, 25)
                };
                assert!(
                    d >= add_wd(a, lo) && d <= add_wd(a, hi),
                    "{}: decision {d} after acceptance {a}",
                    p.name
                );
            }
        }
    }

    #[test]
    fn decision_numbers_unique_and_increasing_per_year() {
        let l = ledger();
        let mut decisions: Vec<(NaiveDate, i32, u32)> = Vec::new();
        let mut seen = HashSet::new();
        for s in l
            .projects
            .iter()
            .filter_map(|p| p.filing.as_ref())
            .flat_map(|f| &f.steps)
        {
            let Some(no) = &s.decision_no else { continue };
            assert!(seen.insert(no.clone()), "duplicate {no}");
            let rest = no.strip_prefix("商环批复〔").expect("prefix");
            let (year, rest) = rest.split_once('〕').expect("bracket");
            let number = rest.strip_suffix('号').expect("suffix");
            let year: i32 = year.parse().expect("year");
            assert_eq!(year, s.on.year());
            decisions.push((s.on, year, number.parse().expect("number")));
        }
        decisions.sort();
        for w in decisions.windows(2) {
            if w[0].1 == w[1].1 {
                assert!(w[0].2 < w[1].2, "{w:?}");
            }
        }
        assert!(
            decisions.iter().any(|d| d.0 > PUBLISHED_AS_OF),
            "some approvals after June"
        );
    }

    #[test]
    fn month_end_curve_rises() {
        let l = ledger();
        let curve: Vec<usize> = (1..=6)
            .map(|m| l.accepted_or_decided(month_end(2023, m)))
            .collect();
        assert!(curve.windows(2).all(|w| w[0] < w[1]), "{curve:?}");
        assert!((90..=110).contains(&curve[0]), "{curve:?}");
        assert_eq!(curve[5], 153);
        let first = l.accepted_or_decided(month_end(2022, 8));
        let autumn = l.accepted_or_decided(month_end(2022, 9));
        assert!(first < 10 && autumn > first);
        assert_eq!(l.accepted_or_decided(ymd(2022, 6, 30)), 0);
    }

    #[test]
    fn ledger_dates_are_consistent() {
        let l = ledger();
        for p in &l.projects {
            assert!(
                p.listed_on >= FIRST_LISTING && p.listed_on <= LAST_LISTING,
                "{}",
                p.name
            );
            let c = &p.classification;
            assert!(c.decided_on >= p.listed_on, "{}", p.name);
            assert!(
                p.status_verified_on <= PUBLISHED_AS_OF && p.status_verified_on >= c.decided_on
            );
            if let Some(first) = p.filing.as_ref().and_then(|f| f.steps.first()) {
                assert!(
                    p.listed_on <= first.on && c.decided_on <= first.on,
                    "{}",
                    p.name
                );
            } else {
                assert!(c.decided_on <= PUBLISHED_AS_OF);
            }
            if let Some(last_seen) = p
                .filing
                .as_ref()
                .and_then(|f| f.steps.iter().rev().find(|s| s.on <= PUBLISHED_AS_OF))
            {
                assert!(p.status_verified_on >= last_seen.on);
            }
        }
    }

    #[test]
    fn classifications_are_complete() {
        let l = ledger();
        let keys: Vec<&str> = crate::domain::ledger::INDUSTRIES
            .iter()
            .map(|(k, _)| *k)
            .collect();
        for p in &l.projects {
            let c = &p.classification;
            assert!(keys.contains(&p.industry), "{}", p.name);
            assert!(c.facts.is_object(), "{}", p.name);
            assert!(c.rows.iter().all(|r| (1..=173).contains(r)));
            assert!(
                c.basis
                    .contains("《建设项目环境影响评价分类管理名录（2021年版）》"),
                "{}",
                p.name
            );
            assert_eq!(p.filing.is_none(), c.tier == Tier::Exempt, "{}", p.name);
            if c.policy_exemption.is_some() {
                assert_eq!(c.tier, Tier::Exempt);
                assert!(c.basis.contains(POLICY_2020_13));
            }
            if c.rows.is_empty() {
                assert_eq!(c.tier, Tier::Exempt);
                assert!(c.basis.contains("第五条"), "{}", p.name);
            }
            for r in &c.rows {
                assert!(
                    c.basis.contains(&format!(
                        "第{r}项“{}”",
                        Catalog::embedded()
                            .row(*r)
                            .map_or("", |row| row.category.as_str())
                    )),
                    "{}",
                    p.name
                );
            }
        }
        // The three kinds of exemption all occur.
        let exempt: Vec<&DemoClassification> = l
            .projects
            .iter()
            .map(|p| &p.classification)
            .filter(|c| c.tier == Tier::Exempt)
            .collect();
        assert!(exempt.iter().filter(|c| c.rows.is_empty()).count() >= 8);
        assert!(
            exempt
                .iter()
                .filter(|c| c.policy_exemption.is_some())
                .count()
                >= 8
        );
        assert!(
            exempt
                .iter()
                .filter(|c| !c.rows.is_empty() && c.policy_exemption.is_none())
                .count()
                >= 40
        );
    }

    #[test]
    fn facts_follow_the_project_names() {
        let l = ledger();
        for (p, row) in l.projects.iter().zip(PROJECTS) {
            let construction = p
                .classification
                .facts
                .get("construction")
                .and_then(Value::as_str);
            if let Some(c) = construction {
                assert_eq!(c, construction_from_name(&p.name));
            }
            let maintenance = matches!(row.kind, K::RoadMaint);
            assert_eq!(
                construction == Some("maintenance"),
                maintenance,
                "{}",
                p.name
            );
        }
    }

    #[test]
    fn point_to_point_goes_mostly_to_larger_provincial_required_projects() {
        let l = ledger();
        let p2p: Vec<&DemoProject> = l.projects.iter().filter(|p| p.point_to_point).collect();
        assert!(p2p.iter().all(|p| p.provincial || p.municipal));
        let required = p2p
            .iter()
            .filter(|p| p.classification.tier != Tier::Exempt)
            .count();
        assert!(required >= 50, "{required}");
        let provincial = p2p.iter().filter(|p| p.provincial).count();
        assert!(provincial * 3 >= p2p.len() * 2, "{provincial}");
        let median = |mut v: Vec<i64>| {
            v.sort_unstable();
            v[v.len() / 2]
        };
        let with = median(p2p.iter().map(|p| p.investment_hundredths).collect());
        let without = median(
            l.projects
                .iter()
                .filter(|p| !p.point_to_point)
                .map(|p| p.investment_hundredths)
                .collect(),
        );
        assert!(with > 2 * without);
    }

    #[test]
    fn demo_owner_organisations() {
        let l = ledger();
        let mut home_counties = HashSet::new();
        for (i, row) in ORGS.iter().enumerate().take(OWNER_DEMO_ORGS) {
            let own: Vec<&DemoProject> =
                l.projects.iter().filter(|p| p.organization == i).collect();
            assert!(own.len() >= 2, "{}", row.name);
            assert!(own.iter().any(|p| p.point_to_point), "{}", row.name);
            assert!(home_counties.insert(row.area), "{}", row.name);
        }
    }

    #[test]
    fn working_day_calendar() {
        // National Day 2023: 29 Sep – 6 Oct off, Saturday 7 Oct worked.
        assert_eq!(add_wd(ymd(2023, 9, 28), 1), ymd(2023, 10, 7));
        assert_eq!(add_wd(ymd(2023, 10, 7), -1), ymd(2023, 9, 28));
        assert!(is_working_day(ymd(2023, 6, 25)));
        assert!(!is_working_day(ymd(2023, 6, 23)));
        assert_eq!(add_wd(ymd(2023, 6, 28), 4), ymd(2023, 7, 4));
        for &(first, _) in ACCEPTANCE_QUOTAS {
            let mut rng = Rng::new(1);
            let d = working_day_in_month(first, &mut rng);
            assert!(is_working_day(d) && d.month() == first.month());
        }
    }

    #[test]
    fn quotas_cover_the_ordinary_filings() {
        let specials = PROJECTS
            .iter()
            .filter(|r| r.flags.contains(['U', 'C', 'L', 'D']))
            .count();
        assert_eq!(specials, 6);
        let quota: usize = ACCEPTANCE_QUOTAS.iter().map(|q| q.1).sum();
        assert_eq!(quota, 158 - specials);
    }
}

#[cfg(test)]
mod classified_by_the_engine {
    use super::*;

    #[test]
    fn every_demo_project_gets_its_tier_from_the_catalogue_rules() {
        let mut mismatches = Vec::new();
        for (p, row) in generate().projects.iter().zip(PROJECTS) {
            let c = &p.classification;
            let sp = spec(row.kind);
            let outcome = match classify(&c.classify_input(), Catalog::embedded()) {
                Ok(outcome) => outcome,
                Err(errors) => {
                    let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    mismatches.push(format!(
                        "{}: rows {:?} facts {} manual {:?} → {:?}",
                        p.name, c.rows, c.facts, c.manual_clauses, errors
                    ));
                    continue;
                }
            };
            let mut problems = Vec::new();
            let tier = if c.policy_exemption.is_some() {
                Tier::Exempt
            } else {
                outcome.tier
            };
            if tier != c.tier {
                problems.push(format!("→ {:?}, ledger says {:?}", outcome.tier, c.tier));
            }
            if c.policy_exemption.is_some() && outcome.tier != Tier::RegistrationForm {
                problems.push(format!(
                    "policy-exempt, but the catalogue gives {:?}, not the registration form",
                    outcome.tier
                ));
            }
            if outcome.basis.trim().is_empty() {
                problems.push("the engine gives no basis".to_owned());
            }
            if !c.basis.contains(&outcome.basis) {
                problems.push(format!(
                    "basis “{}” does not carry the engine's “{}”",
                    c.basis, outcome.basis
                ));
            }
            // Decided for the reason the table means: the engine quotes the kind's clause.
            let clause = outcome.rows.first().map_or("", |r| r.clause.as_str());
            let reason_ok = if sp.clause.is_empty() {
                clause.is_empty()
            } else {
                clause.contains(sp.clause)
            };
            if !reason_ok {
                problems.push(format!(
                    "the engine decides by “{clause}”, the table by “{}”",
                    sp.clause
                ));
            }
            if !problems.is_empty() {
                mismatches.push(format!(
                    "{}: rows {:?} facts {} manual {:?}: {}",
                    p.name,
                    c.rows,
                    c.facts,
                    c.manual_clauses,
                    problems.join("; ")
                ));
            }
        }
        assert!(
            mismatches.is_empty(),
            "{} mismatches:\n{}",
            mismatches.len(),
            mismatches.join("\n")
        );
    }
}

/// Writes the ledger as the data file the loader will read instead of this generator: each
/// step as the request the loader sends today, so the file holds what the database gets.
#[cfg(test)]
mod export {
    use super::*;
    use crate::domain::filing::{Action, DisapprovalGround};
    use crate::domain::money::Wan;
    use crate::domain::role::Role;
    use crate::domain::service::ItemKind;

    #[test]
    #[ignore = "run once to write resources/demo/shangluo-2023.json"]
    fn export_data_file() {
        let l = generate();
        let accounts = crate::services::demo::DEMO_ACCOUNTS
            .iter()
            .map(|&(username, role, org)| data::Account {
                username: username.to_owned(),
                role,
                display_name: match role {
                    Role::Admin => "系统管理员".into(),
                    Role::Leader => "局领导".into(),
                    Role::Officer => format!("审批科{}", &username[username.len() - 1..]),
                    Role::Owner => format!("建设单位联系人{}", &username[username.len() - 1..]),
                },
                organization: org.map(|i| l.organizations[i].name.clone()),
                email: format!("{username}@demo.eiaflow.example.cn"),
            })
            .collect();
        let organizations = l
            .organizations
            .iter()
            .map(|o| data::Organization {
                name: o.name.clone(),
                credit_code: o.credit_code.clone(),
                contact_name: o.contact_name.clone(),
                contact_phone: o.contact_phone.clone(),
                contact_email: o.contact_email.clone(),
            })
            .collect();
        let projects = l
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let org = &l.organizations[p.organization];
                let c = &p.classification;
                data::Project {
                    name: p.name.clone(),
                    project_code: p.project_code.clone(),
                    organization: org.name.clone(),
                    county: p.county_code.to_owned(),
                    provincial: p.provincial,
                    municipal: p.municipal,
                    industry: p.industry.to_owned(),
                    total_investment_wan: Wan::from_hundredths(p.investment_hundredths),
                    point_to_point: p.point_to_point,
                    built_before_approval: p.built_before_approval,
                    penalty_settled: p.penalty_settled,
                    listed_on: p.listed_on,
                    status_verified_on: p.status_verified_on,
                    officer: ["officer1", "officer2"][i % 2].to_owned(),
                    classification: data::Classification {
                        rows: c.rows.clone(),
                        facts: c.facts.as_object().cloned().unwrap_or_default(),
                        clauses: c.manual_clauses.clone(),
                        policy_exemption: c.policy_exemption.clone(),
                        decided_on: c.decided_on,
                        tier: c.tier,
                    },
                    filing: p.filing.as_ref().map(|f| data::Filing {
                        steps: export_steps(&f.steps),
                    }),
                    service_sheet: p.point_to_point.then(|| export_sheet(p, org)),
                }
            })
            .collect();
        let ledger = data::Ledger {
            accounts,
            organizations,
            projects,
        };
        let mut text = serde_json::to_string_pretty(&ledger).expect("serialise");
        text.push('\n');
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("resources/demo/shangluo-2023.json");
        std::fs::create_dir_all(path.parent().expect("folder")).expect("create folder");
        std::fs::write(&path, text).expect("write the data file");
    }

    fn export_steps(steps: &[DemoStep]) -> Vec<data::Step> {
        let mut asked: Vec<String> = Vec::new();
        steps
            .iter()
            .map(|s| {
                let action: Action = s.action.parse().expect("known action");
                let mut step = data::Step {
                    action,
                    on: s.on,
                    by: if s.actor == "owner" {
                        data::By::Owner
                    } else {
                        data::By::Officer
                    },
                    reason: None,
                    missing_items: Vec::new(),
                    answers: Vec::new(),
                    grounds: Vec::new(),
                    number: s.decision_no.clone(),
                };
                match action {
                    Action::RequestCorrection => {
                        step.missing_items = s
                            .reason
                            .iter()
                            .flat_map(|r| r.split('；'))
                            .map(|item| item.trim().trim_end_matches('。').to_owned())
                            .filter(|item| !item.is_empty())
                            .collect();
                        asked = step.missing_items.clone();
                    }
                    Action::Resubmit => {
                        step.answers = asked.iter().map(|item| format!("已补充：{item}")).collect();
                    }
                    Action::Refuse | Action::Withdraw => step.reason = s.reason.clone(),
                    Action::Disapprove => {
                        let text = s.reason.clone().unwrap_or_default();
                        step.grounds = DisapprovalGround::ALL
                            .into_iter()
                            .filter(|g| text.contains(&g.citation()))
                            .collect();
                        step.reason = Some(text);
                    }
                    _ => {}
                }
                step
            })
            .collect()
    }

    fn export_sheet(p: &DemoProject, org: &DemoOrganization) -> data::ServiceSheet {
        let items = [
            (
                ItemKind::PreApplicationConsultation,
                "环评前期咨询：明确环评类别、编制要求和审批流程",
                10,
            ),
            (
                ItemKind::DocumentGuidance,
                "指导环评文件编制，提前介入审查要点",
                40,
            ),
            (
                ItemKind::EvaluationCoordination,
                "协调技术评估机构，压缩评估时间",
                80,
            ),
            (
                ItemKind::FastTrackDecision,
                "开通审批绿色通道，承诺时限内作出审批决定",
                120,
            ),
        ]
        .into_iter()
        .map(|(kind, description, days)| {
            let promised_on = p.listed_on + Duration::days(days);
            data::ServiceItem {
                kind,
                description: description.into(),
                promised_on,
                done_on: Some(promised_on),
                evidence: Some("已按承诺时限办结".into()),
            }
        })
        .collect();
        data::ServiceSheet {
            bureau_contact_name: "商洛市生态环境局环评科".into(),
            bureau_contact_phone: "0914-2313000".into(),
            owner_contact_name: org.contact_name.clone(),
            owner_contact_phone: org.contact_phone.clone(),
            owner_contact_email: org.contact_email.clone(),
            items,
            sign_off_note: Some("服务到位，确认签收".into()),
        }
    }
}
