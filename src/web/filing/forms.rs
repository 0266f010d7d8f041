//! The forms of the filing page as data: one [`FormBox`] per thing the reader may do, its
//! fields, the values typed (kept after a 422) and the problems beside each field.
use crate::web::page::Problems;

/// What a form posted, for putting it back after a 422.
#[derive(Debug, Clone, Default)]
pub struct Kept(pub Vec<(String, String)>);

impl Kept {
    pub fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// A form that came back with problems: which one, what was typed, what was wrong.
#[derive(Debug, Clone, Default)]
pub struct Failed {
    pub key: String,
    pub kept: Kept,
    pub problems: Problems,
}

#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One input of a form.
#[derive(Debug, Clone)]
pub struct Field {
    pub id: String,
    pub name: String,
    pub label: String,
    /// `text`, `textarea`, `date`, `select`, `file`
    pub kind: &'static str,
    pub value: String,
    pub required: bool,
    pub hint: Option<String>,
    pub problem: Option<String>,
    pub options: Vec<Opt>,
    pub max: String,
}

/// One row of a correction request's list (补正事项).
#[derive(Debug, Clone)]
pub struct CorrRow {
    pub n: usize,
    pub item: String,
    pub note: String,
    pub basis: String,
    pub problem: Option<String>,
}

/// One item of a correction request being answered.
#[derive(Debug, Clone)]
pub struct AnswerRow {
    pub n: usize,
    pub item: String,
    pub answer: String,
    pub problem: Option<String>,
    pub with_file: bool,
    pub materials: Vec<Opt>,
}

#[derive(Debug, Clone)]
pub struct GroundOpt {
    pub code: &'static str,
    pub label: &'static str,
    pub citation: String,
    pub checked: bool,
}

/// A form on the filing page.
#[derive(Debug, Clone, Default)]
pub struct FormBox {
    pub key: String,
    pub post: String,
    pub multipart: bool,
    pub title: String,
    pub intro: Option<String>,
    pub button: String,
    pub danger: bool,
    pub confirm: Option<String>,
    pub hidden: Vec<(String, String)>,
    pub fields: Vec<Field>,
    pub rows: Vec<CorrRow>,
    pub basis: bool,
    pub grounds: Vec<GroundOpt>,
    pub grounds_problem: Option<String>,
    pub answers: Vec<AnswerRow>,
    pub answers_problem: Option<String>,
    /// Problems that belong to no field of this form.
    pub alert: Vec<String>,
    pub open: bool,
}

impl FormBox {
    pub fn new(key: impl Into<String>, post: impl Into<String>, title: impl Into<String>) -> Self {
        let key = key.into();
        FormBox {
            hidden: vec![("_form".into(), key.clone())],
            key,
            post: post.into(),
            title: title.into(),
            button: "提交".into(),
            ..Default::default()
        }
    }

    pub fn hidden(mut self, name: &str, value: impl ToString) -> Self {
        self.hidden.push((name.into(), value.to_string()));
        self
    }

    pub fn button(mut self, text: impl Into<String>) -> Self {
        self.button = text.into();
        self
    }

    pub fn confirm(mut self, text: impl Into<String>) -> Self {
        self.confirm = Some(text.into());
        self.danger = true;
        self
    }

    pub fn intro(mut self, text: impl Into<String>) -> Self {
        self.intro = Some(text.into());
        self
    }

    fn field(&mut self, name: &str, label: &str, kind: &'static str) -> &mut Field {
        self.fields.push(Field {
            id: format!("{}-{}", self.key, name.replace(['[', ']', '.'], "-")),
            name: name.into(),
            label: label.into(),
            kind,
            value: String::new(),
            required: false,
            hint: None,
            problem: None,
            options: Vec::new(),
            max: String::new(),
        });
        self.fields.last_mut().expect("just pushed")
    }

    pub fn text(mut self, name: &str, label: &str, required: bool, hint: Option<&str>) -> Self {
        let f = self.field(name, label, "text");
        f.required = required;
        f.hint = hint.map(str::to_owned);
        self
    }

    pub fn textarea(mut self, name: &str, label: &str, required: bool, value: &str) -> Self {
        let f = self.field(name, label, "textarea");
        f.required = required;
        f.value = value.to_owned();
        self
    }

    pub fn date(mut self, name: &str, label: &str, required: bool, hint: Option<&str>) -> Self {
        let f = self.field(name, label, "date");
        f.required = required;
        f.hint = hint.map(str::to_owned);
        f.max = crate::services::today().to_string();
        self
    }

    pub fn select(mut self, name: &str, label: &str, options: Vec<(String, String)>) -> Self {
        let f = self.field(name, label, "select");
        f.required = true;
        f.options = options
            .into_iter()
            .enumerate()
            .map(|(i, (value, label))| Opt {
                value,
                label,
                selected: i == 0,
            })
            .collect();
        self
    }

    pub fn file(mut self, name: &str, label: &str, required: bool) -> Self {
        let f = self.field(name, label, "file");
        f.required = required;
        self
    }

    /// The date of a step that happened on paper or in the national system (officers only).
    pub fn effective_on(self) -> Self {
        self.date(
            "effective_on",
            "实际办理日期",
            false,
            Some(
                "纸质办理或在全国环评统一申报和审批系统中已办理的环节，填写其实际日期；不填为今天",
            ),
        )
    }

    /// Puts back what was typed and the problems, when this is the form that failed.
    pub fn settle(mut self, failed: Option<&Failed>) -> Self {
        let Some(failed) = failed.filter(|f| f.key == self.key) else {
            return self;
        };
        self.open = true;
        let mut placed: Vec<String> = Vec::new();
        for f in &mut self.fields {
            if f.kind != "file" {
                let typed = failed.kept.one(&f.name);
                if f.kind == "select" {
                    for o in &mut f.options {
                        o.selected = o.value == typed;
                    }
                } else {
                    f.value = typed;
                }
            }
            if let Some(p) = failed.problems.get(&f.name) {
                f.problem = Some(p.to_owned());
                placed.push(f.name.clone());
            }
        }
        let items = failed.kept.all("item");
        let notes = failed.kept.all("note");
        let bases = failed.kept.all("basis");
        for (i, row) in self.rows.iter_mut().enumerate() {
            row.item = items.get(i).cloned().unwrap_or_default();
            row.note = notes.get(i).cloned().unwrap_or_default();
            row.basis = bases.get(i).cloned().unwrap_or_default();
            let key = format!("row[{i}]");
            if let Some(p) = failed.problems.get(&key) {
                row.problem = Some(p.to_owned());
                placed.push(key);
            }
        }
        if !self.rows.is_empty()
            && let Some(p) = failed.problems.get("missing_items")
        {
            self.rows[0].problem.get_or_insert_with(|| p.to_owned());
            placed.push("missing_items".into());
        }
        if !self.grounds.is_empty() {
            let chosen = failed.kept.all("grounds");
            for g in &mut self.grounds {
                g.checked = chosen.iter().any(|c| c == g.code);
            }
            if let Some(p) = failed.problems.get("grounds") {
                self.grounds_problem = Some(p.to_owned());
                placed.push("grounds".into());
            }
        }
        if !self.answers.is_empty() {
            let answers = failed.kept.all("answer");
            for (i, row) in self.answers.iter_mut().enumerate() {
                row.answer = answers.get(i).cloned().unwrap_or_default();
                if let Some(p) = failed.problems.get(&format!("answer[{i}]")) {
                    row.problem = Some(p.to_owned());
                    placed.push(format!("answer[{i}]"));
                }
            }
            if let Some(p) = failed.problems.get("answers") {
                self.answers_problem = Some(p.to_owned());
                placed.push("answers".into());
            }
        }
        self.alert = failed
            .problems
            .all()
            .into_iter()
            .filter(|(k, _)| !placed.iter().any(|p| p == k))
            .map(|(_, v)| v.to_owned())
            .collect();
        self
    }
}
