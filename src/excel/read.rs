//! Reading a worksheet the way bureaus lay one out: a merged title row, a 填报单位/日期 line, one or
//! two header rows found by their names wherever they are, blank rows between the data, digits
//! typed full-width, amounts in floating cells. What a cell means is the caller's; this module
//! turns cells into text, exact decimals, dates and yes/no the same way for every import.
use std::io::Cursor;
use std::str::FromStr;

use calamine::{Data, Dimensions, Reader, Xlsx};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::FieldError;

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// One cell as read. Numbers stay `f64` only here: [`decimal`] turns them into exact decimals
/// through their shortest decimal text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    /// An Excel error value such as `#REF!`.
    Error(String),
}

impl Cell {
    fn of(data: &Data) -> Cell {
        match data {
            Data::Empty => Cell::Empty,
            Data::String(s) if s.trim().is_empty() => Cell::Empty,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(dt) => match dt.as_datetime() {
                Some(dt) => Cell::Date(dt.date()),
                None => Cell::Error(format!("{dt}")),
            },
            Data::DateTimeIso(s) => match s.get(..10).and_then(|d| d.parse().ok()) {
                Some(d) => Cell::Date(d),
                None => Cell::Text(s.clone()),
            },
            Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Error(e) => Cell::Error(format!("{e}")),
        }
    }

    /// Blank, or text of nothing but spaces (full-width ones too).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => normalize(t).is_empty(),
            _ => false,
        }
    }

    /// The cell's text with only its spaces tidied ([`tidy`]); other cells as [`Cell::text`].
    pub fn tidy_text(&self) -> String {
        match self {
            Cell::Text(t) => tidy(t),
            other => other.text(),
        }
    }

    /// The cell as normalised text ([`normalize`]): numbers by their shortest decimal text,
    /// dates as `YYYY-MM-DD`, booleans as 是/否.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => normalize(t),
            Cell::Number(n) => shortest(*n),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
            Cell::Date(d) => d.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// The shortest decimal text that reads back as `n` (Rust's `Display` for `f64` never uses an
/// exponent): 1204.23 stays "1204.23", 0.1 + 0.2 is "0.30000000000000004".
fn shortest(n: f64) -> String {
    format!("{n}")
}

/// Full-width ASCII (`０-９`, `Ａ-Ｚ`, `（）`, `－` …) to half-width, ideographic and no-break spaces
/// to spaces, runs of white space to one space, trimmed.
pub fn normalize(s: &str) -> String {
    collapse(s.chars().map(|c| match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200B}' => ' ',
        _ => c,
    }))
}

/// Only the spaces of [`normalize`]: ideographic and no-break spaces to spaces, runs of white
/// space to one space, trimmed; full-width characters kept. For names and prose, where
/// （三期） is the name as written and must compare equal to what is stored.
pub fn tidy(s: &str) -> String {
    collapse(s.chars().map(|c| match c {
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200B}' => ' ',
        _ => c,
    }))
}

fn collapse(mapped: impl Iterator<Item = char>) -> String {
    let (low, _) = mapped.size_hint();
    let mut out = String::with_capacity(low);
    let mut space = false;
    for c in mapped {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// [`normalize`] with every space removed: how codes and header names are compared.
pub fn compact(s: &str) -> String {
    normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A header name as compared: compacted, without the `*` that marks a required column.
fn header_key(s: &str) -> String {
    compact(s).trim_matches('*').to_owned()
}

/// The first worksheet of an `.xlsx` file, with its merged regions.
#[derive(Debug, Clone)]
pub struct Grid {
    pub sheet_name: String,
    /// Row 0 is Excel's row 1 and column 0 its column A, whatever the used range starts at.
    rows: Vec<Vec<Cell>>,
    merges: Vec<Dimensions>,
}

impl Grid {
    /// Reads the first worksheet. The error names the field `file`.
    pub fn open(bytes: &[u8]) -> Result<Grid, FieldError> {
        let not_xlsx = || FieldError::new("file", "无法读取文件：请上传 Excel 工作簿（.xlsx）");
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| not_xlsx())?;
        let sheet_name = book
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| FieldError::new("file", "工作簿中没有工作表"))?;
        let range = book.worksheet_range(&sheet_name).map_err(|_| not_xlsx())?;
        let merges = book
            .merge_cells_by_sheet_name(&sheet_name)
            .unwrap_or_default();
        let (top, left) = range.start().unwrap_or((0, 0));
        let (top, left) = (top as usize, left as usize);
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); top];
        for row in range.rows() {
            let mut cells = vec![Cell::Empty; left];
            cells.extend(row.iter().map(Cell::of));
            while cells.last().is_some_and(Cell::is_blank) {
                cells.pop();
            }
            rows.push(cells);
        }
        Ok(Grid {
            sheet_name,
            rows,
            merges,
        })
    }

    /// A grid of cells given directly (tests, other readers).
    pub fn from_rows(rows: Vec<Vec<Cell>>) -> Grid {
        Grid {
            sheet_name: String::new(),
            rows,
            merges: Vec::new(),
        }
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }

    fn width(&self, row: usize) -> usize {
        self.rows.get(row).map_or(0, Vec::len)
    }

    /// The text a header cell shows: its own, or that of the merged region it lies in.
    fn shown(&self, row: usize, col: usize) -> String {
        let own = self.cell(row, col).text();
        if !own.is_empty() {
            return own;
        }
        self.merges
            .iter()
            .find(|m| {
                (m.start.0 as usize..=m.end.0 as usize).contains(&row)
                    && (m.start.1 as usize..=m.end.1 as usize).contains(&col)
            })
            .map(|m| self.cell(m.start.0 as usize, m.start.1 as usize).text())
            .unwrap_or_default()
    }

    /// Finds the header among the first rows by the names of `columns`: the row (or pair of
    /// rows, the upper one merged over the lower) that names the most of them. Fails, naming
    /// the field `file`, when no row names every column in `required`.
    pub fn header(&self, columns: &[Column], required: &[&str]) -> Result<Header, FieldError> {
        let mut best: Option<Header> = None;
        for row in 0..self.rows.len().min(HEADER_SEARCH_ROWS) {
            for two_rows in [false, true] {
                if two_rows && row + 1 >= self.rows.len() {
                    continue;
                }
                let candidate = self.header_at(row, two_rows, columns);
                let better = best
                    .as_ref()
                    .is_none_or(|b| candidate.matched() > b.matched());
                if better && candidate.matched() > 0 {
                    best = Some(candidate);
                }
            }
        }
        let missing = |h: Option<&Header>| -> Vec<&str> {
            required
                .iter()
                .filter(|key| h.is_none_or(|h| h.col(key).is_none()))
                .map(|key| {
                    columns
                        .iter()
                        .find(|c| c.key == *key)
                        .map_or(*key, |c| c.names[0])
                })
                .collect()
        };
        let lacking = missing(best.as_ref());
        match best {
            Some(header) if lacking.is_empty() => Ok(header),
            _ => Err(FieldError::new(
                "file",
                format!(
                    "在前{HEADER_SEARCH_ROWS}行中找不到表头：缺少列“{}”",
                    lacking.join("”“")
                ),
            )),
        }
    }

    fn header_at(&self, row: usize, two_rows: bool, columns: &[Column]) -> Header {
        let width = if two_rows {
            self.width(row).max(self.width(row + 1))
        } else {
            self.width(row)
        };
        let mut found: Vec<HeaderColumn> = Vec::new();
        for col in 0..width {
            let upper = self.shown(row, col);
            let lower = if two_rows {
                self.cell(row + 1, col).text()
            } else {
                String::new()
            };
            // The lower row's own name, the upper and lower together (总投资 over （万元）), or
            // the upper alone when it is merged down over the lower row.
            let mut texts = Vec::new();
            if !lower.is_empty() {
                texts.push(lower.clone());
                if !upper.is_empty() {
                    texts.push(format!("{upper}{lower}"));
                }
            } else if !upper.is_empty() {
                texts.push(upper.clone());
            }
            let Some(text) = texts.first().cloned() else {
                continue;
            };
            let key = texts.iter().find_map(|t| {
                let k = header_key(t);
                columns
                    .iter()
                    .find(|c| c.names.iter().any(|n| header_key(n) == k))
                    .map(|c| c.key)
            });
            // The first column of a name wins; a repeat is read past like any other column.
            let key = key.filter(|k| !found.iter().any(|f| f.key == Some(*k)));
            let text = match key {
                Some(_) => texts
                    .into_iter()
                    .find(|t| {
                        columns
                            .iter()
                            .any(|c| c.names.iter().any(|n| header_key(n) == header_key(t)))
                    })
                    .unwrap_or(text),
                None => text,
            };
            found.push(HeaderColumn { col, key, text });
        }
        Header {
            last_row: if two_rows { row + 1 } else { row },
            columns: found,
        }
    }

    /// The rows below the header that hold anything, with the row number Excel shows.
    pub fn data_rows<'a>(&'a self, header: &Header) -> impl Iterator<Item = (u32, &'a [Cell])> {
        self.rows
            .iter()
            .enumerate()
            .skip(header.last_row + 1)
            .filter(|(_, cells)| !cells.iter().all(Cell::is_blank))
            .map(|(i, cells)| (i as u32 + 1, cells.as_slice()))
    }
}

/// A column an import reads: its key and the names it goes by, the canonical one first.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub names: &'static [&'static str],
}

/// One column of a header as found.
#[derive(Debug, Clone)]
pub struct HeaderColumn {
    /// 0 is column A.
    pub col: usize,
    /// The column it was recognised as, if any.
    pub key: Option<&'static str>,
    /// The header's text as the file shows it (normalised).
    pub text: String,
}

/// Where a header is and what each column is.
#[derive(Debug, Clone)]
pub struct Header {
    /// The header's last row, 0-based; data follow.
    pub last_row: usize,
    pub columns: Vec<HeaderColumn>,
}

impl Header {
    fn matched(&self) -> usize {
        self.columns.iter().filter(|c| c.key.is_some()).count()
    }

    /// The column index of `key`, if the file has it.
    pub fn col(&self, key: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.key == Some(key))
            .map(|c| c.col)
    }

    /// The header text of `key` as the file has it, else `fallback`.
    pub fn title<'a>(&'a self, key: &str, fallback: &'a str) -> &'a str {
        self.columns
            .iter()
            .find(|c| c.key == Some(key))
            .map_or(fallback, |c| c.text.as_str())
    }

    /// The columns of the file that none of the import's columns is.
    pub fn unrecognised(&self) -> impl Iterator<Item = &HeaderColumn> {
        self.columns.iter().filter(|c| c.key.is_none())
    }

    /// The cell of `key` in `cells`, or empty when the file lacks the column.
    pub fn get<'a>(&self, cells: &'a [Cell], key: &str) -> &'a Cell {
        self.col(key)
            .and_then(|c| cells.get(c))
            .unwrap_or(&Cell::Empty)
    }
}

/// Why a cell is not the decimal it should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalError {
    Blank,
    NotANumber(String),
}

/// The exact decimal a cell holds: a number cell through its shortest decimal text, a text cell
/// with full-width digits, spaces and thousands separators read past.
pub fn decimal(cell: &Cell) -> Result<Decimal, DecimalError> {
    let text = match cell {
        Cell::Empty => return Err(DecimalError::Blank),
        Cell::Number(n) if !n.is_finite() => return Err(DecimalError::NotANumber(shortest(*n))),
        Cell::Number(n) => shortest(*n),
        other => {
            let t = other.text();
            if t.is_empty() {
                return Err(DecimalError::Blank);
            }
            t
        }
    };
    let plain: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    Decimal::from_str(&plain).map_err(|_| DecimalError::NotANumber(text))
}

/// A decimal rounded half up to `places`, and whether rounding changed it by more than a
/// floating cell's noise (then the value was typed with more places than the column holds).
pub fn round_half_up(value: Decimal, places: u32) -> (Decimal, bool) {
    let rounded =
        value.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    // A floating cell holds ~15 significant digits; anything beyond them is noise.
    let noise = Decimal::new(1, 9).max(value.abs() * Decimal::new(1, 14));
    (rounded, (value - rounded).abs() > noise)
}

/// A yes/no cell: 是/√/✓/Y/TRUE/1 is yes; 否/×/N/FALSE/0, 无 and blank are no.
pub fn yes_no(cell: &Cell) -> Result<bool, String> {
    if let Cell::Bool(b) = cell {
        return Ok(*b);
    }
    let text = cell.text();
    match text.to_lowercase().as_str() {
        "" | "否" | "×" | "x" | "✗" | "n" | "no" | "false" | "0" | "无" | "不是" => {
            Ok(false)
        }
        "是" | "√" | "✓" | "✔" | "y" | "yes" | "true" | "1" | "有" => Ok(true),
        _ => Err(text),
    }
}

/// A date cell, or text such as 2023-06-30, 2023/6/30, 2023.6.30 or 2023年6月30日. `Ok(None)`
/// when blank.
pub fn date(cell: &Cell) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
        other => {
            let text = other.text();
            if text.is_empty() {
                return Ok(None);
            }
            let unified: String = text
                .trim_end_matches('日')
                .chars()
                .map(|c| match c {
                    '/' | '.' | '年' | '月' => '-',
                    c => c,
                })
                .collect();
            NaiveDate::parse_from_str(&unified, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn full_width_digits_and_spaces_are_normalised() {
        assert_eq!(
            normalize("　２３０１－６１１００２　 项目  名称 "),
            "2301-611002 项目 名称"
        );
        assert_eq!(compact(" 总投资（万元） "), "总投资(万元)");
        assert!(t("　").is_blank());
        assert_eq!(
            tidy("　洛南至卢氏（陕豫界）  高速 "),
            "洛南至卢氏（陕豫界） 高速"
        );
        assert_eq!(t(" 厂房（三期）").tidy_text(), "厂房（三期）");
    }

    #[test]
    fn floating_cells_become_their_shortest_decimal() {
        assert_eq!(
            decimal(&Cell::Number(1204.23)).unwrap().to_string(),
            "1204.23"
        );
        assert_eq!(decimal(&t("１，２００．５")).unwrap().to_string(), "1200.5");
        let noisy = decimal(&Cell::Number(0.1 + 0.2)).unwrap();
        assert_eq!(round_half_up(noisy, 2), (Decimal::new(30, 2), false));
        let typed = decimal(&Cell::Number(12.345)).unwrap();
        assert_eq!(round_half_up(typed, 2), (Decimal::new(1235, 2), true));
        assert_eq!(decimal(&Cell::Empty), Err(DecimalError::Blank));
        assert!(matches!(
            decimal(&t("十万")),
            Err(DecimalError::NotANumber(_))
        ));
    }

    #[test]
    fn yes_no_and_dates_read_the_usual_spellings() {
        assert_eq!(yes_no(&t("√")), Ok(true));
        assert_eq!(yes_no(&Cell::Empty), Ok(false));
        assert_eq!(yes_no(&t("否")), Ok(false));
        assert!(yes_no(&t("也许")).is_err());
        let d = NaiveDate::from_ymd_opt(2023, 6, 30);
        assert_eq!(date(&t("2023年6月30日")), Ok(d));
        assert_eq!(date(&t("２０２３/６/３０")), Ok(d));
        assert_eq!(date(&Cell::Empty), Ok(None));
        assert!(date(&t("六月")).is_err());
    }

    const COLUMNS: &[Column] = &[
        Column {
            key: "name",
            names: &["项目名称"],
        },
        Column {
            key: "code",
            names: &["投资项目统一代码", "项目代码"],
        },
        Column {
            key: "wan",
            names: &["总投资（万元）"],
        },
        Column {
            key: "provincial",
            names: &["重点项目级别省级", "省级"],
        },
    ];

    #[test]
    fn the_header_is_found_below_a_title_and_over_two_rows() {
        let grid = Grid {
            sheet_name: String::new(),
            rows: vec![
                vec![t("商洛市重点项目环评台账")],
                vec![
                    t("填报单位：市生态环境局"),
                    Cell::Empty,
                    t("日期：2023-06-30"),
                ],
                vec![
                    t("序号"),
                    t("项目名称"),
                    t("项目代码"),
                    t("总投资"),
                    t("重点项目级别"),
                ],
                vec![
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    t("(万元)"),
                    t("省级"),
                ],
                vec![
                    Cell::Number(1.0),
                    t("甲"),
                    t("2301"),
                    Cell::Number(5.0),
                    t("是"),
                ],
                vec![],
                vec![Cell::Number(2.0), t("乙")],
            ],
            merges: vec![
                Dimensions {
                    start: (2, 1),
                    end: (3, 1),
                },
                Dimensions {
                    start: (2, 2),
                    end: (3, 2),
                },
            ],
        };
        let header = grid.header(COLUMNS, &["name", "code"]).unwrap();
        assert_eq!(header.last_row, 3);
        assert_eq!(header.col("name"), Some(1));
        assert_eq!(header.col("code"), Some(2));
        assert_eq!(header.title("code", ""), "项目代码");
        assert_eq!(header.col("wan"), Some(3));
        assert_eq!(header.col("provincial"), Some(4));
        assert_eq!(
            header
                .unrecognised()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            ["序号"]
        );
        let rows: Vec<u32> = grid.data_rows(&header).map(|(r, _)| r).collect();
        assert_eq!(rows, [5, 7]);
        let err = grid.header(COLUMNS, &["name", "missing"]).unwrap_err();
        assert_eq!(err.field, "file");
    }
}
