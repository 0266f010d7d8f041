//! What a filing event records beside its change of state: the items of a correction request,
//! the answers to them, the grounds of a disapproval, the number issued. Stored as JSON in the
//! event row and read back as this type, never by string key.
use serde::{Deserialize, Serialize};

use super::{DisapprovalGround, StepSource};

/// One answered item of a correction request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Answer {
    pub item: String,
    pub answer: String,
}

/// Whose step an officer recorded, when it was not the officer's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordedFor {
    /// An owner's step that reached the bureau on paper or at the service window.
    Owner,
}

/// The content of one event. Fields that do not belong to the event's action are absent, in
/// storage and in the API alike.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EventDetail {
    /// 补正事项 of a correction request, listed at once (一次性告知).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_items: Vec<String>,
    /// Which correction round a request is (1 for the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
    /// Why each item of a later round is asked again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub basis: Vec<super::CorrectionBasis>,
    /// Required materials an officer waived when entering a paper step, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub materials_waived: Option<String>,
    /// A resubmission's answer to each item, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// The grounds of a disapproval (条例 Art. 11), sorted, each once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub grounds: Vec<DisapprovalGround>,
    /// The same grounds as cited in the decision.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<String>,
    /// 批复意见 of an approval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_text: Option<String>,
    /// 技术评估机构, when evaluation starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_for: Option<RecordedFor>,
    /// 批复文号 issued or recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_no: Option<String>,
    /// 登记表备案号 issued or recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_no: Option<String>,
    /// Where the step was taken, when not in this service (the national system).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub source: Option<StepSource>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_earlier_builds_stored_and_writes_only_what_is_there() {
        let stored = r#"{"grounds":["emissions_or_ecology_uncontrolled"],"citations":["《建设项目环境保护管理条例》第十一条第（三）项"],"recorded_for":"owner","decision_no":"商环批复〔2023〕3号"}"#;
        let detail: EventDetail = serde_json::from_str(stored).unwrap();
        assert_eq!(
            detail.grounds,
            vec![DisapprovalGround::EmissionsOrEcologyUncontrolled]
        );
        assert_eq!(detail.recorded_for, Some(RecordedFor::Owner));
        assert_eq!(serde_json::to_string(&detail).unwrap(), stored);
        assert_eq!(
            serde_json::to_string(&EventDetail::default()).unwrap(),
            "{}"
        );
    }
}
