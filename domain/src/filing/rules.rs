//! The bureau's rules for what an action carries (docs/domain.md §4): a correction request lists
//! every missing item at once (一次性告知), a resubmission answers each, a refusal and a
//! disapproval give reasons and the grounds of 条例 Art. 11, and a project built before approval
//! is not accepted while its penalty is unsettled.
use serde::{Deserialize, Serialize};

use super::{Action, Answer, DisapprovalGround, EventDetail};
use crate::FieldError;
use crate::names::{UnknownCode, named_enum};

/// Why an item is asked for again in a later correction round: one-time notice (一次性告知)
/// means a second request may only ask what the answer did not resolve or what the
/// resubmitted material itself introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionBasis {
    /// 上次补正未解决 — an item of the previous request, not resolved by its answer.
    Unresolved,
    /// 补正材料新出现 — a problem in the material the resubmission brought.
    Introduced,
}

named_enum!(CorrectionBasis {
    Unresolved => "unresolved", "上次补正未解决";
    Introduced => "introduced", "补正材料新出现的问题";
});

/// The refusal reason an officer is offered for a project built before approval whose penalty
/// is not settled (the bureau's practice: no acceptance until it is).
pub const UNSETTLED_PENALTY_REASON: &str = "该项目未批先建，依据《中华人民共和国环境影响评价法》第三十一条应予处罚，处罚尚未履行完毕，不予受理；待处罚履行完毕后可重新申报。";

/// What an action carries, as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct ActionContent<'a> {
    pub action: Action,
    pub reason: Option<&'a str>,
    pub missing_items: &'a [String],
    pub answers: &'a [String],
    pub grounds: &'a [DisapprovalGround],
    pub decision_text: Option<&'a str>,
    pub evaluator: Option<&'a str>,
    /// For a correction request after a resubmission: why each item is asked again.
    pub basis: &'a [CorrectionBasis],
}

/// Why an action cannot be taken as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleBreach {
    /// Built before approval, penalty unsettled: refuse instead.
    PenaltyUnsettled,
    /// What was sent is incomplete or misplaced, field by field.
    Invalid(Vec<FieldError>),
}

/// Checks what an action carries against the bureau's rules, and returns what its event
/// records. `unsettled_penalty`: the project was built before approval and its penalty is not
/// settled. `open_items`: the items of the latest correction request (a resubmission answers
/// them; a later request may ask again only those unresolved). `rounds`: how many correction
/// requests the filing had before this action.
pub fn check_content(
    req: &ActionContent<'_>,
    unsettled_penalty: bool,
    open_items: &[String],
    rounds: u32,
) -> Result<EventDetail, RuleBreach> {
    let reason = req.reason.map(str::trim).filter(|r| !r.is_empty());
    let mut errors = Vec::new();
    let mut detail = EventDetail::default();
    // Each of these belongs to one action; sent with another it is a mistake worth saying.
    let belongs = [
        (
            "missing_items",
            !req.missing_items.is_empty(),
            Action::RequestCorrection,
        ),
        ("answers", !req.answers.is_empty(), Action::Resubmit),
        ("basis", !req.basis.is_empty(), Action::RequestCorrection),
        ("grounds", !req.grounds.is_empty(), Action::Disapprove),
        (
            "decision_text",
            req.decision_text.is_some(),
            Action::Approve,
        ),
        (
            "evaluator",
            req.evaluator.is_some(),
            Action::StartEvaluation,
        ),
    ];
    for (field, given, action) in belongs {
        if given && req.action != action {
            errors.push(FieldError::new(
                field,
                format!("“{field}”只用于“{}”", action.label()),
            ));
        }
    }
    match req.action {
        Action::Accept => {
            if unsettled_penalty {
                return Err(RuleBreach::PenaltyUnsettled);
            }
        }
        Action::Refuse => {
            if reason.is_none() {
                errors.push(FieldError::new("reason", "不予受理须说明理由"));
            }
        }
        Action::RequestCorrection => {
            let items: Vec<&str> = req.missing_items.iter().map(|i| i.trim()).collect();
            if items.is_empty() {
                errors.push(FieldError::new(
                    "missing_items",
                    "补正通知须一次性列明全部需补正的材料",
                ));
            }
            if let Some(i) = items.iter().position(|i| i.is_empty()) {
                errors.push(FieldError::new(
                    format!("missing_items[{i}]"),
                    "补正事项不能为空",
                ));
            }
            detail.missing_items = items.iter().map(|i| (*i).to_owned()).collect();
            detail.round = Some(rounds + 1);
            if rounds == 0 {
                if !req.basis.is_empty() {
                    errors.push(FieldError::new(
                        "basis",
                        "首次补正一次性告知全部事项，无须说明 basis",
                    ));
                }
            } else if req.basis.len() != items.len() {
                errors.push(FieldError::new(
                    "basis",
                    format!(
                        "第{}次补正只能针对上次答复未解决（unresolved）或补正材料新出现（introduced）的问题，须逐项说明（{}项事项，收到{}项说明）",
                        rounds + 1,
                        items.len(),
                        req.basis.len()
                    ),
                ));
            } else {
                for (i, (item, basis)) in items.iter().zip(req.basis).enumerate() {
                    if *basis == CorrectionBasis::Unresolved
                        && !open_items.iter().any(|asked| asked.trim() == *item)
                    {
                        errors.push(FieldError::new(
                            format!("missing_items[{i}]"),
                            format!(
                                "“{item}”不是上次补正通知的事项；上次事项：{}；新问题请标注 introduced",
                                open_items.join("、")
                            ),
                        ));
                    }
                }
                detail.basis = req.basis.to_vec();
            }
        }
        Action::Resubmit => {
            let asked = open_items;
            let answered = req.answers.iter().filter(|a| !a.trim().is_empty()).count();
            if req.answers.len() != asked.len() || answered != asked.len() {
                errors.push(FieldError::new(
                    "answers",
                    format!(
                        "补正通知列明{}项材料，须逐项答复（收到{}项）",
                        asked.len(),
                        answered
                    ),
                ));
            }
            detail.answers = asked
                .iter()
                .zip(req.answers)
                .map(|(item, answer)| Answer {
                    item: item.clone(),
                    answer: answer.trim().to_owned(),
                })
                .collect();
        }
        Action::Disapprove => {
            if req.grounds.is_empty() {
                errors.push(FieldError::new(
                    "grounds",
                    "不予批准须列明《建设项目环境保护管理条例》第十一条的情形",
                ));
            }
            if reason.is_none() {
                errors.push(FieldError::new("reason", "不予批准须说明理由"));
            }
            let mut grounds = req.grounds.to_vec();
            grounds.sort();
            grounds.dedup();
            detail.citations = grounds.iter().map(|g| g.citation()).collect();
            detail.grounds = grounds;
        }
        Action::Approve => {
            if let Some(text) = req.decision_text {
                detail.decision_text = Some(text.trim().to_owned());
            }
        }
        Action::StartEvaluation => {
            if let Some(who) = req.evaluator {
                detail.evaluator = Some(who.trim().to_owned());
            }
        }
        Action::Submit | Action::FinishEvaluation | Action::Withdraw | Action::Register => {}
    }
    if !errors.is_empty() {
        return Err(RuleBreach::Invalid(errors));
    }
    Ok(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(action: Action) -> ActionContent<'static> {
        ActionContent {
            action,
            reason: None,
            missing_items: &[],
            answers: &[],
            grounds: &[],
            decision_text: None,
            evaluator: None,
            basis: &[],
        }
    }

    fn fields(breach: RuleBreach) -> Vec<String> {
        match breach {
            RuleBreach::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
            RuleBreach::PenaltyUnsettled => vec!["penalty".into()],
        }
    }

    #[test]
    fn a_correction_request_lists_every_item_at_once() {
        let err = check_content(&content(Action::RequestCorrection), false, &[], 0).unwrap_err();
        assert_eq!(fields(err), ["missing_items"]);
        let items = vec!["委托书".to_owned(), " ".to_owned()];
        let c = ActionContent {
            missing_items: &items,
            ..content(Action::RequestCorrection)
        };
        assert_eq!(
            fields(check_content(&c, false, &[], 0).unwrap_err()),
            ["missing_items[1]"]
        );
    }

    #[test]
    fn a_resubmission_answers_each_item() {
        let asked = vec!["委托书".to_owned(), "公参说明".to_owned()];
        let one = vec!["已补".to_owned()];
        let c = ActionContent {
            answers: &one,
            ..content(Action::Resubmit)
        };
        assert_eq!(
            fields(check_content(&c, false, &asked, 0).unwrap_err()),
            ["answers"]
        );
        let both = vec!["已补".to_owned(), "已补".to_owned()];
        let c = ActionContent {
            answers: &both,
            ..content(Action::Resubmit)
        };
        let detail = check_content(&c, false, &asked, 0).unwrap();
        assert_eq!(detail.answers[1].item, "公参说明");
    }

    #[test]
    fn unsettled_penalty_blocks_acceptance_only() {
        assert_eq!(
            check_content(&content(Action::Accept), true, &[], 0),
            Err(RuleBreach::PenaltyUnsettled)
        );
        let c = ActionContent {
            reason: Some(UNSETTLED_PENALTY_REASON),
            ..content(Action::Refuse)
        };
        assert!(check_content(&c, true, &[], 0).is_ok());
    }

    #[test]
    fn disapproval_cites_article_11() {
        let err = check_content(&content(Action::Disapprove), false, &[], 0).unwrap_err();
        assert_eq!(fields(err), ["grounds", "reason"]);
        let grounds = [
            DisapprovalGround::DefectiveDocument,
            DisapprovalGround::DefectiveDocument,
        ];
        let c = ActionContent {
            grounds: &grounds,
            reason: Some("数据不实"),
            ..content(Action::Disapprove)
        };
        let detail = check_content(&c, false, &[], 0).unwrap();
        assert_eq!(
            detail.citations,
            ["《建设项目环境保护管理条例》第十一条第（五）项"]
        );
        assert_eq!(detail.grounds, [DisapprovalGround::DefectiveDocument]);
    }

    #[test]
    fn fields_of_other_actions_are_refused() {
        let items = vec!["x".to_owned()];
        let c = ActionContent {
            missing_items: &items,
            ..content(Action::Accept)
        };
        assert_eq!(
            fields(check_content(&c, false, &[], 0).unwrap_err()),
            ["missing_items"]
        );
    }

    #[test]
    fn a_later_round_asks_only_what_is_unresolved_or_new() {
        let asked = vec!["委托书".to_owned(), "公参说明".to_owned()];
        let again = vec!["公参说明".to_owned(), "新增的噪声监测数据来源".to_owned()];
        let unexplained = ActionContent {
            missing_items: &again,
            ..content(Action::RequestCorrection)
        };
        assert_eq!(
            fields(check_content(&unexplained, false, &asked, 1).unwrap_err()),
            ["basis"]
        );
        let wrong = [CorrectionBasis::Unresolved, CorrectionBasis::Unresolved];
        let c = ActionContent {
            basis: &wrong,
            ..unexplained
        };
        assert_eq!(
            fields(check_content(&c, false, &asked, 1).unwrap_err()),
            ["missing_items[1]"]
        );
        let right = [CorrectionBasis::Unresolved, CorrectionBasis::Introduced];
        let c = ActionContent {
            basis: &right,
            ..unexplained
        };
        let detail = check_content(&c, false, &asked, 1).unwrap();
        assert_eq!(detail.round, Some(2));
        assert_eq!(detail.basis, right);
    }
}
