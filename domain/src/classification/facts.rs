//! The fact vocabulary of `docs/classification.md`: construction kinds, the 23 sensitive-area
//! codes of Art. 3, per-row fact schemas, and the parsing of a request's `facts` object.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use super::engine::{FactError, FactErrorKind};

/// Key of the common fact `construction`.
pub const CONSTRUCTION_KEY: &str = "construction";
/// Key of the common fact `sensitive_areas`.
pub const SENSITIVE_AREAS_KEY: &str = "sensitive_areas";

/// What kind of construction the project is (建设性质).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Construction {
    New,
    Expansion,
    Renovation,
    Relocation,
    Maintenance,
}

impl Construction {
    pub const ALL: [Construction; 5] = [
        Construction::New,
        Construction::Expansion,
        Construction::Renovation,
        Construction::Relocation,
        Construction::Maintenance,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Construction::New => "new",
            Construction::Expansion => "expansion",
            Construction::Renovation => "renovation",
            Construction::Relocation => "relocation",
            Construction::Maintenance => "maintenance",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Construction::New => "新建",
            Construction::Expansion => "扩建",
            Construction::Renovation => "改建/改扩建",
            Construction::Relocation => "迁建",
            Construction::Maintenance => "维护",
        }
    }

    pub fn from_code(code: &str) -> Option<Construction> {
        Construction::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The three groups of environmentally sensitive areas in Art. 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Art3Group {
    One,
    Two,
    Three,
}

impl Art3Group {
    /// The group's numeral as the catalogue writes it: 一, 二, 三.
    pub const fn numeral(self) -> &'static str {
        match self {
            Art3Group::One => "一",
            Art3Group::Two => "二",
            Art3Group::Three => "三",
        }
    }
}

/// An environmentally sensitive area (环境敏感区) of Art. 3, by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveArea {
    NationalPark,
    NatureReserve,
    ScenicArea,
    WorldHeritage,
    MarineSpecialProtection,
    DrinkingWaterSource,
    EcologicalRedLine,
    PermanentBasicFarmland,
    BasicGrassland,
    ForestPark,
    GeologicalPark,
    NaturePark,
    ImportantWetland,
    NaturalForest,
    KeyWildlifeHabitat,
    KeyPlantHabitat,
    AquaticHabitat,
    NaturalFishingGround,
    SoilErosionZone,
    DesertifiedClosure,
    EnclosedSea,
    ResidentialArea,
    CulturalRelic,
}

impl SensitiveArea {
    pub const ALL: [SensitiveArea; 23] = [
        SensitiveArea::NationalPark,
        SensitiveArea::NatureReserve,
        SensitiveArea::ScenicArea,
        SensitiveArea::WorldHeritage,
        SensitiveArea::MarineSpecialProtection,
        SensitiveArea::DrinkingWaterSource,
        SensitiveArea::EcologicalRedLine,
        SensitiveArea::PermanentBasicFarmland,
        SensitiveArea::BasicGrassland,
        SensitiveArea::ForestPark,
        SensitiveArea::GeologicalPark,
        SensitiveArea::NaturePark,
        SensitiveArea::ImportantWetland,
        SensitiveArea::NaturalForest,
        SensitiveArea::KeyWildlifeHabitat,
        SensitiveArea::KeyPlantHabitat,
        SensitiveArea::AquaticHabitat,
        SensitiveArea::NaturalFishingGround,
        SensitiveArea::SoilErosionZone,
        SensitiveArea::DesertifiedClosure,
        SensitiveArea::EnclosedSea,
        SensitiveArea::ResidentialArea,
        SensitiveArea::CulturalRelic,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            SensitiveArea::NationalPark => "national_park",
            SensitiveArea::NatureReserve => "nature_reserve",
            SensitiveArea::ScenicArea => "scenic_area",
            SensitiveArea::WorldHeritage => "world_heritage",
            SensitiveArea::MarineSpecialProtection => "marine_special_protection",
            SensitiveArea::DrinkingWaterSource => "drinking_water_source",
            SensitiveArea::EcologicalRedLine => "ecological_red_line",
            SensitiveArea::PermanentBasicFarmland => "permanent_basic_farmland",
            SensitiveArea::BasicGrassland => "basic_grassland",
            SensitiveArea::ForestPark => "forest_park",
            SensitiveArea::GeologicalPark => "geological_park",
            SensitiveArea::NaturePark => "nature_park",
            SensitiveArea::ImportantWetland => "important_wetland",
            SensitiveArea::NaturalForest => "natural_forest",
            SensitiveArea::KeyWildlifeHabitat => "key_wildlife_habitat",
            SensitiveArea::KeyPlantHabitat => "key_plant_habitat",
            SensitiveArea::AquaticHabitat => "aquatic_habitat",
            SensitiveArea::NaturalFishingGround => "natural_fishing_ground",
            SensitiveArea::SoilErosionZone => "soil_erosion_zone",
            SensitiveArea::DesertifiedClosure => "desertified_closure",
            SensitiveArea::EnclosedSea => "enclosed_sea",
            SensitiveArea::ResidentialArea => "residential_area",
            SensitiveArea::CulturalRelic => "cultural_relic",
        }
    }

    pub const fn name_zh(self) -> &'static str {
        match self {
            SensitiveArea::NationalPark => "国家公园",
            SensitiveArea::NatureReserve => "自然保护区",
            SensitiveArea::ScenicArea => "风景名胜区",
            SensitiveArea::WorldHeritage => "世界文化和自然遗产地",
            SensitiveArea::MarineSpecialProtection => "海洋特别保护区",
            SensitiveArea::DrinkingWaterSource => "饮用水水源保护区",
            SensitiveArea::EcologicalRedLine => "生态保护红线管控范围",
            SensitiveArea::PermanentBasicFarmland => "永久基本农田",
            SensitiveArea::BasicGrassland => "基本草原",
            SensitiveArea::ForestPark => "森林公园",
            SensitiveArea::GeologicalPark => "地质公园",
            SensitiveArea::NaturePark => "自然公园（森林公园、地质公园以外）",
            SensitiveArea::ImportantWetland => "重要湿地",
            SensitiveArea::NaturalForest => "天然林",
            SensitiveArea::KeyWildlifeHabitat => "重点保护野生动物栖息地",
            SensitiveArea::KeyPlantHabitat => "重点保护野生植物生长繁殖地",
            SensitiveArea::AquaticHabitat => "重要水生生物的自然产卵场、索饵场、越冬场和洄游通道",
            SensitiveArea::NaturalFishingGround => "天然渔场",
            SensitiveArea::SoilErosionZone => "水土流失重点预防区和重点治理区",
            SensitiveArea::DesertifiedClosure => "沙化土地封禁保护区",
            SensitiveArea::EnclosedSea => "封闭及半封闭海域",
            SensitiveArea::ResidentialArea => {
                "以居住、医疗卫生、文化教育、科研、行政办公等为主要功能的区域"
            }
            SensitiveArea::CulturalRelic => "文物保护单位",
        }
    }

    pub const fn group(self) -> Art3Group {
        match self {
            SensitiveArea::NationalPark
            | SensitiveArea::NatureReserve
            | SensitiveArea::ScenicArea
            | SensitiveArea::WorldHeritage
            | SensitiveArea::MarineSpecialProtection
            | SensitiveArea::DrinkingWaterSource => Art3Group::One,
            SensitiveArea::EcologicalRedLine
            | SensitiveArea::PermanentBasicFarmland
            | SensitiveArea::BasicGrassland
            | SensitiveArea::ForestPark
            | SensitiveArea::GeologicalPark
            | SensitiveArea::NaturePark
            | SensitiveArea::ImportantWetland
            | SensitiveArea::NaturalForest
            | SensitiveArea::KeyWildlifeHabitat
            | SensitiveArea::KeyPlantHabitat
            | SensitiveArea::AquaticHabitat
            | SensitiveArea::NaturalFishingGround
            | SensitiveArea::SoilErosionZone
            | SensitiveArea::DesertifiedClosure
            | SensitiveArea::EnclosedSea => Art3Group::Two,
            SensitiveArea::ResidentialArea | SensitiveArea::CulturalRelic => Art3Group::Three,
        }
    }

    pub fn from_code(code: &str) -> Option<SensitiveArea> {
        SensitiveArea::ALL.into_iter().find(|a| a.code() == code)
    }

    /// All codes of one Art. 3 group, as "第三条（X）中的全部区域" reads.
    pub fn in_group(group: Art3Group) -> impl Iterator<Item = SensitiveArea> {
        SensitiveArea::ALL
            .into_iter()
            .filter(move |a| a.group() == group)
    }
}

/// Why a row's sensitive-scope column could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeParseError {
    pub text: String,
    pub unread: String,
}

impl fmt::Display for ScopeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unread words “{}” in scope “{}”", self.unread, self.text)
    }
}

impl std::error::Error for ScopeParseError {}

/// The phrases the scope column uses for each code, longest first where one contains another.
/// The catalogue sometimes names an area by an older or narrower phrase: "基本农田保护区" (row
/// 122) is the permanent basic farmland; "海洋公园" is a 自然公园; rows 4 and 156 name only
/// "重要水生生物的自然产卵场、索饵场", which still maps to the one code `aquatic_habitat`.
const SCOPE_PHRASES: &[(&str, SensitiveArea)] = &[
    ("国家公园", SensitiveArea::NationalPark),
    ("自然保护区", SensitiveArea::NatureReserve),
    ("风景名胜区", SensitiveArea::ScenicArea),
    ("世界文化和自然遗产地", SensitiveArea::WorldHeritage),
    ("海洋特别保护区", SensitiveArea::MarineSpecialProtection),
    ("饮用水水源保护区", SensitiveArea::DrinkingWaterSource),
    (
        "除（一）外的生态保护红线管控范围",
        SensitiveArea::EcologicalRedLine,
    ),
    ("永久基本农田", SensitiveArea::PermanentBasicFarmland),
    ("基本农田保护区", SensitiveArea::PermanentBasicFarmland),
    ("基本草原", SensitiveArea::BasicGrassland),
    ("森林公园", SensitiveArea::ForestPark),
    ("地质公园", SensitiveArea::GeologicalPark),
    ("海洋公园", SensitiveArea::NaturePark),
    ("重要湿地", SensitiveArea::ImportantWetland),
    ("天然林", SensitiveArea::NaturalForest),
    ("重点保护野生动物栖息地", SensitiveArea::KeyWildlifeHabitat),
    ("重点保护野生植物生长繁殖地", SensitiveArea::KeyPlantHabitat),
    (
        "重要水生生物的自然产卵场、索饵场、越冬场和洄游通道",
        SensitiveArea::AquaticHabitat,
    ),
    (
        "重要水生生物的自然产卵场、索饵场",
        SensitiveArea::AquaticHabitat,
    ),
    ("天然渔场", SensitiveArea::NaturalFishingGround),
    (
        "水土流失重点预防区和重点治理区",
        SensitiveArea::SoilErosionZone,
    ),
    ("沙化土地封禁保护区", SensitiveArea::DesertifiedClosure),
    ("封闭及半封闭海域", SensitiveArea::EnclosedSea),
    (
        "以居住、医疗卫生、文化教育、科研、行政办公等为主要功能的区域",
        SensitiveArea::ResidentialArea,
    ),
    ("文物保护单位", SensitiveArea::CulturalRelic),
];

/// Reads a row's sensitive-scope column ("第三条（一）中的全部区域；第三条（二）中的…") into
/// codes, sorted. Every word must be understood: anything left over is an error, so a
/// catalogue edit cannot silently drop an area.
///
/// # Errors
///
/// The words left unread, when the text names something that is not an Art. 3 area.
pub fn parse_sensitive_scope(text: &str) -> Result<Vec<SensitiveArea>, ScopeParseError> {
    let mut found = BTreeSet::new();
    let mut rest = text.to_owned();
    for (numeral, group) in [
        ("一", Art3Group::One),
        ("二", Art3Group::Two),
        ("三", Art3Group::Three),
    ] {
        let whole = format!("第三条（{numeral}）中的全部区域");
        if rest.contains(&whole) {
            found.extend(SensitiveArea::in_group(group));
            rest = rest.replace(&whole, "");
        }
    }
    for (phrase, area) in SCOPE_PHRASES {
        if rest.contains(phrase) {
            found.insert(*area);
            rest = rest.replace(phrase, "");
        }
    }
    // What may remain: the group headings and the list punctuation, plus row 97's rider
    // "针对标准厂房增加", which the row's rule encodes as a condition.
    for filler in [
        "第三条（一）中的",
        "第三条（二）中的",
        "第三条（三）中的",
        "针对标准厂房增加",
    ] {
        rest = rest.replace(filler, "");
    }
    let unread: String = rest
        .chars()
        .filter(|c| !matches!(c, '；' | '，' | '、'))
        .collect();
    if unread.is_empty() {
        Ok(found.into_iter().collect())
    } else {
        Err(ScopeParseError {
            text: text.to_owned(),
            unread,
        })
    }
}

/// One allowed value of an enumerated fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub label_zh: &'static str,
}

/// The type of a fact's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    /// One of the listed strings.
    Enum(&'static [Choice]),
    /// A list of the listed strings (the sensitive areas).
    EnumList(&'static [Choice]),
    /// A non-negative quantity in `unit`.
    Number { unit: &'static str },
    /// A non-negative whole number of `unit` (beds, head of livestock).
    Count { unit: &'static str },
    /// true/false; absent means false.
    Bool,
}

impl Serialize for FactKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        match self {
            FactKind::Enum(choices) => {
                map.serialize_entry("type", "enum")?;
                map.serialize_entry("values", choices)?;
            }
            FactKind::EnumList(choices) => {
                map.serialize_entry("type", "enum_list")?;
                map.serialize_entry("values", choices)?;
            }
            FactKind::Number { unit } => {
                map.serialize_entry("type", "number")?;
                map.serialize_entry("unit", unit)?;
            }
            FactKind::Count { unit } => {
                map.serialize_entry("type", "count")?;
                map.serialize_entry("unit", unit)?;
            }
            FactKind::Bool => map.serialize_entry("type", "bool")?,
        }
        map.end()
    }
}

/// One fact a row reads, as published at `GET /api/v1/catalog/{row}`.
///
/// The engine asks for a fact exactly when the answer depends on it (e.g. `length_km` only
/// for a new class-2-or-better road outside sensitive areas; nothing but the exclusion for
/// an excluded case). `required` marks the facts the answer depends on in the ordinary case,
/// for a form to show as mandatory. Booleans are never asked for: absent means false.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FactSpec {
    pub key: &'static str,
    pub kind: FactKind,
    pub required: bool,
    pub description_zh: &'static str,
}

const fn choices_of_construction() -> [Choice; 5] {
    let mut out = [Choice {
        value: "",
        label_zh: "",
    }; 5];
    let mut i = 0;
    while i < Construction::ALL.len() {
        out[i] = Choice {
            value: Construction::ALL[i].code(),
            label_zh: Construction::ALL[i].label_zh(),
        };
        i += 1;
    }
    out
}

const fn choices_of_areas() -> [Choice; 23] {
    let mut out = [Choice {
        value: "",
        label_zh: "",
    }; 23];
    let mut i = 0;
    while i < SensitiveArea::ALL.len() {
        out[i] = Choice {
            value: SensitiveArea::ALL[i].code(),
            label_zh: SensitiveArea::ALL[i].name_zh(),
        };
        i += 1;
    }
    out
}

const CONSTRUCTION_CHOICES: [Choice; 5] = choices_of_construction();
const AREA_CHOICES: [Choice; 23] = choices_of_areas();

/// The common fact `construction`.
pub const CONSTRUCTION_SPEC: FactSpec = FactSpec {
    key: CONSTRUCTION_KEY,
    kind: FactKind::Enum(&CONSTRUCTION_CHOICES),
    required: false,
    description_zh: "建设性质：新建、扩建、改建/改扩建、迁建或维护",
};

/// The common fact `sensitive_areas`.
pub const SENSITIVE_AREAS_SPEC: FactSpec = FactSpec {
    key: SENSITIVE_AREAS_KEY,
    kind: FactKind::EnumList(&AREA_CHOICES),
    required: false,
    description_zh: "项目涉及的环境敏感区（名录第三条），空列表表示不涉及；只有本项最后一栏所列区域才计入",
};

/// A parsed value slot: absent, present but invalid (already reported), or valid.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Slot<T> {
    Absent,
    Invalid,
    Given(T),
}

/// A valid value of a row fact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum FactValue {
    Choice(&'static str),
    Number(f64),
    Bool(bool),
}

/// The facts of one request, checked against the specs of the rows it names.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub construction: Slot<Construction>,
    pub sensitive_areas: Slot<BTreeSet<SensitiveArea>>,
    values: BTreeMap<&'static str, Slot<FactValue>>,
}

impl Facts {
    /// A row fact's slot; keys not in the request are absent.
    pub fn get(&self, key: &str) -> Slot<FactValue> {
        self.values.get(key).cloned().unwrap_or(Slot::Absent)
    }

    /// The declared sensitive areas (none when absent or invalid).
    pub fn declared_areas(&self) -> Vec<SensitiveArea> {
        match &self.sensitive_areas {
            Slot::Given(set) => set.iter().copied().collect(),
            Slot::Absent | Slot::Invalid => Vec::new(),
        }
    }

    /// Parses `facts` against `known` (the row facts of the requested rows; the two common
    /// facts are always known). Every problem is pushed to `errors`; bad values become
    /// `Invalid` so that evaluation can go on and report what else is missing.
    ///
    /// `elsewhere` names, for a key unknown to these rows, the rows that would use it, to
    /// make the message helpful.
    pub fn parse(
        facts: &Map<String, Value>,
        known: &BTreeMap<&'static str, FactSpec>,
        elsewhere: impl Fn(&str) -> Vec<u16>,
        errors: &mut Vec<FactError>,
    ) -> Facts {
        let mut parsed = Facts {
            construction: Slot::Absent,
            sensitive_areas: Slot::Absent,
            values: BTreeMap::new(),
        };
        for (key, value) in facts {
            let field = format!("facts.{key}");
            if value.is_null() {
                // A form sends null for a field left blank: treat it as not given.
                continue;
            }
            if key == CONSTRUCTION_KEY {
                parsed.construction = match value.as_str() {
                    Some(code) => match Construction::from_code(code) {
                        Some(c) => Slot::Given(c),
                        None => {
                            errors.push(FactError::new(
                                field,
                                FactErrorKind::UnknownValue,
                                format!(
                                    "未知的建设性质“{code}”，可选：{}",
                                    codes_of(&CONSTRUCTION_CHOICES)
                                ),
                            ));
                            Slot::Invalid
                        }
                    },
                    None => {
                        errors.push(wrong_type(field, "字符串"));
                        Slot::Invalid
                    }
                };
                continue;
            }
            if key == SENSITIVE_AREAS_KEY {
                parsed.sensitive_areas = parse_areas(value, &field, errors);
                continue;
            }
            let Some((static_key, spec)) = known.get_key_value(key.as_str()) else {
                let rows = elsewhere(key);
                let hint = if rows.is_empty() {
                    String::new()
                } else {
                    format!("（该事实用于第{}项）", join_rows(&rows))
                };
                errors.push(FactError::new(
                    field,
                    FactErrorKind::UnknownKey,
                    format!("所选项目类别不使用事实“{key}”{hint}"),
                ));
                continue;
            };
            let slot = parse_value(value, spec, &field, errors);
            parsed.values.insert(static_key, slot);
        }
        parsed
    }
}

fn parse_areas(
    value: &Value,
    field: &str,
    errors: &mut Vec<FactError>,
) -> Slot<BTreeSet<SensitiveArea>> {
    let Some(items) = value.as_array() else {
        errors.push(wrong_type(field.to_owned(), "敏感区代码列表"));
        return Slot::Invalid;
    };
    let mut set = BTreeSet::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let item_field = format!("{field}[{i}]");
        match item.as_str() {
            Some(code) => match SensitiveArea::from_code(code) {
                Some(area) => {
                    set.insert(area);
                }
                None => {
                    ok = false;
                    errors.push(FactError::new(
                        item_field,
                        FactErrorKind::UnknownValue,
                        format!("未知的环境敏感区代码“{code}”"),
                    ));
                }
            },
            None => {
                ok = false;
                errors.push(wrong_type(item_field, "敏感区代码字符串"));
            }
        }
    }
    if ok { Slot::Given(set) } else { Slot::Invalid }
}

fn parse_value(
    value: &Value,
    spec: &FactSpec,
    field: &str,
    errors: &mut Vec<FactError>,
) -> Slot<FactValue> {
    match spec.kind {
        FactKind::Enum(choices) => match value.as_str() {
            Some(s) => match choices.iter().find(|c| c.value == s) {
                Some(choice) => Slot::Given(FactValue::Choice(choice.value)),
                None => {
                    errors.push(FactError::new(
                        field.to_owned(),
                        FactErrorKind::UnknownValue,
                        format!("“{s}”不是{}的可选值，可选：{}", spec.key, codes_of(choices)),
                    ));
                    Slot::Invalid
                }
            },
            None => {
                errors.push(wrong_type(field.to_owned(), "字符串"));
                Slot::Invalid
            }
        },
        // Only `sensitive_areas` is a list, and it is parsed on its own; a row fact of this
        // kind would be a schema error, reported rather than trusted.
        FactKind::EnumList(_) => {
            errors.push(wrong_type(field.to_owned(), "单个值"));
            Slot::Invalid
        }
        FactKind::Number { unit } | FactKind::Count { unit } => {
            let Some(n) = value.as_f64() else {
                errors.push(wrong_type(field.to_owned(), "数值"));
                return Slot::Invalid;
            };
            if n < 0.0 {
                errors.push(FactError::new(
                    field.to_owned(),
                    FactErrorKind::Negative,
                    format!("数量不能为负（单位：{unit}）"),
                ));
                return Slot::Invalid;
            }
            if matches!(spec.kind, FactKind::Count { .. }) && n.fract() != 0.0 {
                errors.push(FactError::new(
                    field.to_owned(),
                    FactErrorKind::WrongType,
                    format!("应为整数（单位：{unit}）"),
                ));
                return Slot::Invalid;
            }
            Slot::Given(FactValue::Number(n))
        }
        FactKind::Bool => match value.as_bool() {
            Some(b) => Slot::Given(FactValue::Bool(b)),
            None => {
                errors.push(wrong_type(field.to_owned(), "true/false"));
                Slot::Invalid
            }
        },
    }
}

fn wrong_type(field: String, expected: &str) -> FactError {
    FactError::new(
        field,
        FactErrorKind::WrongType,
        format!("类型错误，应为{expected}"),
    )
}

fn codes_of(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| c.value)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "130、132" for messages.
pub(crate) fn join_rows(rows: &[u16]) -> String {
    rows.iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join("、")
}
