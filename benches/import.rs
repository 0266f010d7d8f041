//! `cargo bench --bench import`: the ledger import's cost against reading the same file. A
//! 10,000-row workbook of new projects (100 organisations) is generated in memory; reading it
//! alone (open, find the header, walk every row's cells) is timed against its first import into
//! a freshly migrated SQLite database (audit trail included), as medians and as the best of
//! each (the disk's fsync times vary from run to run), side by side with their ratios (target:
//! import ≤ 3× the read), then the process's peak memory. Bounded: `RUNS` of each, or
//! `BUDGET`, whichever first.
use std::path::Path;
use std::time::{Duration, Instant};

use eiaflow::config::Settings;
use eiaflow::domain::identifiers::CreditCode;
use eiaflow::excel::ledger::{REQUIRED, all_columns};
use eiaflow::excel::read::Grid;
use eiaflow::services::{self, Actor};

const ROWS: u32 = 10_000;
const RUNS: usize = 9;
const BUDGET: Duration = Duration::from_secs(120);

fn workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "项目名称",
        "投资项目统一代码",
        "建设单位",
        "统一社会信用代码",
        "县区",
        "重点项目级别",
        "行业",
        "总投资（万元）",
        "点对点服务",
        "未批先建",
        "项目概况",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    let orgs: Vec<String> = (0..100)
        .map(|i| {
            let stem = format!("91611002MA7B{i:05}");
            let check = CreditCode::check_char(&stem).expect("stem");
            format!("{stem}{check}")
        })
        .collect();
    let counties = [
        "商州区",
        "洛南县",
        "丹凤县",
        "商南县",
        "山阳县",
        "镇安县",
        "柞水县",
    ];
    let industries = ["能源", "交通运输", "工业与园区", "社会民生"];
    for i in 0..ROWS {
        let r = i + 1;
        let org = (i % 100) as usize;
        let cell = |res: Result<&mut rust_xlsxwriter::Worksheet, _>| {
            res.expect("cell");
        };
        cell(ws.write_string(r, 0, format!("商洛市第{i}号重点建设项目")));
        // City-level division code: fits every county of the city.
        cell(ws.write_string(r, 1, format!("2412-611000-04-01-{:06}", 100_000 + i)));
        cell(ws.write_string(r, 2, format!("商洛市批量测试单位{org}有限公司")));
        cell(ws.write_string(r, 3, &orgs[org]));
        cell(ws.write_string(r, 4, counties[i as usize % counties.len()]));
        cell(ws.write_string(r, 5, ["市级", "省级", "省市级"][i as usize % 3]));
        cell(ws.write_string(r, 6, industries[i as usize % industries.len()]));
        cell(ws.write_number(r, 7, f64::from(i % 100_000 + 1) * 1.37));
        cell(ws.write_string(r, 8, if i % 7 == 0 { "是" } else { "否" }));
        cell(ws.write_string(r, 9, "否"));
        cell(ws.write_string(r, 10, "新建厂房及配套设施，详见可行性研究报告"));
    }
    wb.save_to_buffer().expect("xlsx")
}

/// Reading alone: what any import of the file must do before it can check a row.
fn read(bytes: &[u8]) -> usize {
    let grid = Grid::open(bytes).expect("a workbook");
    let header = grid.header(&all_columns(), REQUIRED).expect("its header");
    let mut chars = 0;
    for (_, cells) in grid.data_rows(&header) {
        for cell in cells {
            chars += cell.text().len();
        }
    }
    chars
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown (no /proc/self/status)".into())
}

/// One import into a fresh, migrated SQLite database holding only the counties.
async fn import_once(bytes: &[u8]) -> Duration {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/eiaflow.db?mode=rwc", dir.path().display());
    let vars = [
        ("EIAFLOW__DATABASE__URL".to_string(), url),
        (
            "EIAFLOW__DATA__DIR".to_string(),
            dir.path().display().to_string(),
        ),
        ("EIAFLOW__DEMO__ENABLED".to_string(), "false".to_string()),
        ("EIAFLOW__LOG__LEVEL".to_string(), "warn".to_string()),
    ];
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let settings = Settings::load_from(&config, None, vars).expect("settings");
    let db = eiaflow::db::connect(&settings).await.expect("connect");
    eiaflow::db::migrate(&db).await.expect("migrate");
    services::counties::seed_shangluo(&db)
        .await
        .expect("counties");
    let started = Instant::now();
    let outcome = services::ledger_import::import(&db, &settings, &Actor::system(), bytes, false)
        .await
        .expect("the import");
    let took = started.elapsed();
    assert_eq!(outcome.created, ROWS, "every row a new project");
    took
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    eprintln!("generating a {ROWS}-row ledger …");
    let bytes = workbook();
    let started = Instant::now();
    let mut reads = Vec::new();
    let mut imports = Vec::new();
    while reads.len() < RUNS && (reads.is_empty() || started.elapsed() < BUDGET) {
        let t = Instant::now();
        std::hint::black_box(read(&bytes));
        reads.push(t.elapsed());
        imports.push(import_once(&bytes).await);
    }
    let (read_best, import_best) = (
        reads.iter().min().copied().unwrap_or_default(),
        imports.iter().min().copied().unwrap_or_default(),
    );
    let (read_median, import_median) = (median(reads.clone()), median(imports));
    println!();
    println!(
        "ledger import, {ROWS} new projects ({} KB .xlsx), SQLite, {} runs",
        bytes.len() / 1024,
        reads.len()
    );
    println!(
        "{:<28} {:>12} {:>12} {:>8}",
        "", "read alone", "import", "ratio"
    );
    println!(
        "{:<28} {:>12} {:>12} {:>7.2}×",
        "median (target ratio ≤ 3×)",
        ms(read_median),
        ms(import_median),
        import_median.as_secs_f64() / read_median.as_secs_f64()
    );
    println!(
        "{:<28} {:>12} {:>12} {:>7.2}×",
        "best of each",
        ms(read_best),
        ms(import_best),
        import_best.as_secs_f64() / read_best.as_secs_f64()
    );
    println!("peak memory (VmHWM) after the imports: {}", peak_memory());
}
