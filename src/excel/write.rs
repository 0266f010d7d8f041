//! Writing `.xlsx` files: one header row frozen, sensible widths, amounts as numbers shown with
//! two decimals, dates as dates. Worksheets are written in constant-memory mode (each row goes
//! to a temporary file as soon as the next begins) and the finished workbook to an anonymous
//! temporary file that the response streams, so an export's memory does not grow with its
//! rows. Totals are the service's exact sums written as values, never formulas.
use std::io::{Seek, SeekFrom};

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::domain::money::Wan;

/// The media type of an `.xlsx` file.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Blank,
    Text(String),
    /// 万元, written as a number with two decimals shown.
    Money(Wan),
    Int(i64),
    /// A rate in per cent with two decimals (96.88 for 96.88 %).
    Percent(rust_decimal::Decimal),
    Date(NaiveDate),
    /// 是 or 否.
    YesNo(bool),
    /// An exact decimal (亿元, say) written as a number with two decimals shown.
    Decimal(rust_decimal::Decimal),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<Option<NaiveDate>> for Value {
    fn from(d: Option<NaiveDate>) -> Self {
        d.map_or(Value::Blank, Value::Date)
    }
}

impl From<Option<String>> for Value {
    fn from(s: Option<String>) -> Self {
        s.map_or(Value::Blank, Value::Text)
    }
}

/// A column of a sheet: its header and its width in characters (a CJK character counts two).
#[derive(Debug, Clone, Copy)]
pub struct ColumnDef {
    pub title: &'static str,
    pub width: f64,
}

pub const fn col(title: &'static str, width: f64) -> ColumnDef {
    ColumnDef { title, width }
}

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
#[error("writing the workbook: {0}")]
pub struct WriteError(#[from] XlsxError);

impl From<WriteError> for crate::error::Error {
    fn from(e: WriteError) -> Self {
        crate::error::Error::Internal(anyhow::Error::new(e))
    }
}

/// A workbook being written.
pub struct Book {
    workbook: Workbook,
    header: Format,
    title: Format,
    money: Format,
    percent: Format,
    date: Format,
    text: Format,
}

impl Default for Book {
    fn default() -> Self {
        Self::new()
    }
}

impl Book {
    pub fn new() -> Book {
        let font = |f: Format| f.set_font_name("等线").set_font_size(11);
        Book {
            workbook: Workbook::new(),
            header: font(Format::new())
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#E8EEF4")
                .set_border(rust_xlsxwriter::FormatBorder::Thin),
            title: font(Format::new()).set_bold().set_font_size(14),
            money: font(Format::new()).set_num_format("#,##0.00"),
            percent: font(Format::new()).set_num_format("0.00\"%\""),
            date: font(Format::new()).set_num_format("yyyy-mm-dd"),
            text: font(Format::new()),
        }
    }

    /// Adds a worksheet named `name` with its column headers (frozen) on the first row, or on
    /// the row after `title` lines when given (a title row and, say, a 填报单位/日期 line).
    pub fn sheet(
        &mut self,
        name: &str,
        title: &[String],
        columns: &[ColumnDef],
    ) -> Result<SheetWriter<'_>, WriteError> {
        let ws = self.workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        for (i, c) in columns.iter().enumerate() {
            ws.set_column_width(i as u16, c.width)?;
        }
        let mut row = 0u32;
        for line in title {
            ws.write_string_with_format(row, 0, line, &self.title)?;
            row += 1;
        }
        for (i, c) in columns.iter().enumerate() {
            ws.write_string_with_format(row, i as u16, c.title, &self.header)?;
        }
        ws.set_freeze_panes(row + 1, 0)?;
        Ok(SheetWriter {
            ws,
            row: row + 1,
            money: self.money.clone(),
            percent: self.percent.clone(),
            date: self.date.clone(),
            text: self.text.clone(),
        })
    }

    /// The finished workbook in an anonymous temporary file, positioned at its start.
    pub fn finish(mut self) -> Result<std::fs::File, WriteError> {
        let mut file = tempfile::tempfile().map_err(XlsxError::IoError)?;
        self.workbook.save_to_writer(&mut file)?;
        file.seek(SeekFrom::Start(0)).map_err(XlsxError::IoError)?;
        Ok(file)
    }

    /// The finished workbook in memory (tests, mail attachments).
    pub fn finish_bytes(mut self) -> Result<Vec<u8>, WriteError> {
        Ok(self.workbook.save_to_buffer()?)
    }
}

/// Rows of one worksheet, written in order.
pub struct SheetWriter<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    money: Format,
    percent: Format,
    date: Format,
    text: Format,
}

impl SheetWriter<'_> {
    /// Writes the next row.
    pub fn row(&mut self, values: &[Value]) -> Result<(), WriteError> {
        let r = self.row;
        for (i, v) in values.iter().enumerate() {
            let c = i as u16;
            match v {
                Value::Blank => {}
                Value::Text(t) => {
                    self.ws.write_string_with_format(r, c, t, &self.text)?;
                }
                Value::Money(w) => {
                    self.ws
                        .write_number_with_format(r, c, wan_number(*w), &self.money)?;
                }
                Value::Int(n) => {
                    self.ws
                        .write_number_with_format(r, c, *n as f64, &self.text)?;
                }
                Value::Percent(p) => {
                    let n: f64 = p.to_string().parse().unwrap_or(0.0);
                    self.ws.write_number_with_format(r, c, n, &self.percent)?;
                }
                Value::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(
                        d.format("%Y").to_string().parse().unwrap_or(1900),
                        d.format("%m").to_string().parse().unwrap_or(1),
                        d.format("%d").to_string().parse().unwrap_or(1),
                    )?;
                    self.ws.write_date_with_format(r, c, &dt, &self.date)?;
                }
                Value::Decimal(d) => {
                    let n: f64 = d.to_string().parse().unwrap_or(0.0);
                    self.ws.write_number_with_format(r, c, n, &self.money)?;
                }
                Value::YesNo(b) => {
                    self.ws.write_string_with_format(
                        r,
                        c,
                        if *b { "是" } else { "否" },
                        &self.text,
                    )?;
                }
            }
        }
        self.row += 1;
        Ok(())
    }

    /// The row the next [`row`](Self::row) writes, 0-based.
    pub fn next_row(&self) -> u32 {
        self.row
    }
}

/// 万元 as the number an Excel cell holds: the double nearest the exact decimal, whose shortest
/// decimal text is that decimal again (so reading the file back gives the same 万元).
pub fn wan_number(w: Wan) -> f64 {
    w.to_string().parse().unwrap_or(0.0)
}

/// A download of the finished file: `Content-Disposition: attachment` with the name in UTF-8
/// (RFC 6266 `filename*`) and an ASCII fallback, streamed from the temporary file.
pub fn download(file: std::fs::File, filename: &str) -> Response {
    let len = file.metadata().map(|m| m.len()).ok();
    let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Some(len) = len
        && let Ok(v) = HeaderValue::from_str(&len.to_string())
    {
        headers.insert(header::CONTENT_LENGTH, v);
    }
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(filename.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::excel::read::{Grid, decimal};

    #[test]
    fn a_written_sheet_reads_back_exactly() {
        let mut book = Book::new();
        {
            let mut sheet = book
                .sheet(
                    "台账",
                    &["商洛市重点项目环评台账".into()],
                    &[
                        col("项目名称", 30.0),
                        col("总投资（万元）", 14.0),
                        col("日期", 12.0),
                    ],
                )
                .unwrap();
            let d = NaiveDate::from_ymd_opt(2023, 6, 30).unwrap();
            for wan in ["99999999.99", "0.10", "12345.67"] {
                sheet
                    .row(&[
                        "甲项目".into(),
                        Value::Money(Wan::parse(wan).unwrap()),
                        Value::Date(d),
                    ])
                    .unwrap();
            }
        }
        let bytes = book.finish_bytes().unwrap();
        let grid = Grid::open(&bytes).unwrap();
        assert_eq!(grid.sheet_name, "台账");
        assert_eq!(grid.cell(0, 0).text(), "商洛市重点项目环评台账");
        assert_eq!(
            grid.cell(1, 1).text(),
            "总投资（万元）".replace('（', "(").replace('）', ")")
        );
        let read: Vec<String> = (2..5)
            .map(|r| decimal(grid.cell(r, 1)).unwrap().to_string())
            .collect();
        assert_eq!(read, ["99999999.99", "0.1", "12345.67"]);
        assert_eq!(grid.cell(2, 2).text(), "2023-06-30");
    }
}
