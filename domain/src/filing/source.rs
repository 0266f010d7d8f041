//! Where a step was taken: in this service, or in the national system (全国建设项目环评统一申报和
//! 审批系统) and entered here afterwards with its date (docs/domain.md §7). A step of the national
//! system went through that system's own procedure — its notice periods, its materials — so the
//! local gates that belong to that procedure do not apply to it; everything else does.
use serde::{Deserialize, Serialize};

use super::Role;
use crate::FieldError;
use crate::names::{UnknownCode, named_enum};

/// The system a step was taken in, when not this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepSource {
    /// 全国建设项目环评统一申报和审批系统 — Shangluo takes filings there since 2023-10-20.
    NationalSystem,
}

named_enum!(StepSource {
    NationalSystem => "national_system", "全国建设项目环评统一申报和审批系统";
});

/// A gate this service puts in front of a step as part of its own procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LocalGate {
    /// No decision while the pre-decision notice (拟审批公示) or a requested hearing runs.
    DecisionNotice,
    /// A submission carries the required materials as uploaded documents.
    RequiredMaterials,
}

/// Whether `gate` holds for a step from `source` (`None`: taken in this service). The state
/// machine, versions, numbers, the penalty rule and the dates are not gates of a procedure:
/// they hold for every step and are not asked here.
pub const fn gate_applies(gate: LocalGate, source: Option<StepSource>) -> bool {
    match (gate, source) {
        (_, None) => true,
        (
            LocalGate::DecisionNotice | LocalGate::RequiredMaterials,
            Some(StepSource::NationalSystem),
        ) => false,
    }
}

/// Who may say a step came from elsewhere, and how: an officer (or admin) entering it
/// afterwards, with the date it took effect there.
pub fn check_source(
    source: Option<StepSource>,
    recorder: Role,
    dated: bool,
) -> Result<(), FieldError> {
    let Some(source) = source else {
        return Ok(());
    };
    if !recorder.keeps_ledger() {
        return Err(FieldError::new(
            "source",
            format!("只有审批人员可以录入在{}办理的环节", source.label()),
        ));
    }
    if !dated {
        return Err(FieldError::new(
            "effective_on",
            format!("录入在{}办理的环节须填写其办理日期", source.label()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::assert_codes_consistent;

    #[test]
    fn national_steps_skip_the_notice_and_materials_gates_only_they() {
        assert_codes_consistent(&StepSource::ALL);
        for gate in [LocalGate::DecisionNotice, LocalGate::RequiredMaterials] {
            assert!(gate_applies(gate, None));
            assert!(!gate_applies(gate, Some(StepSource::NationalSystem)));
        }
    }

    #[test]
    fn only_officers_enter_national_steps_and_with_their_date() {
        let national = Some(StepSource::NationalSystem);
        assert_eq!(check_source(national, Role::Officer, true), Ok(()));
        assert_eq!(check_source(national, Role::Admin, true), Ok(()));
        assert_eq!(check_source(None, Role::Owner, false), Ok(()));
        for role in [Role::Owner, Role::Leader] {
            assert_eq!(
                check_source(national, role, true).unwrap_err().field,
                "source"
            );
        }
        assert_eq!(
            check_source(national, Role::Officer, false)
                .unwrap_err()
                .field,
            "effective_on"
        );
    }
}
