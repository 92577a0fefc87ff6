use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    pub name: String,
    /// `COST`, `USAGE`, `RI_UTILIZATION`, ...
    pub budget_type: String,
    /// `MONTHLY`, `QUARTERLY`, `ANNUALLY`, `DAILY`.
    pub time_unit: String,
    pub limit: Option<Money>,
    /// Month-to-date spend as Budgets calculated it; `None` when it has none yet.
    pub actual_spend: Option<Money>,
    pub forecasted_spend: Option<Money>,
}

impl Budget {
    pub fn is_monthly_cost(&self) -> bool {
        self.budget_type == "COST" && self.time_unit == "MONTHLY"
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Money {
    pub amount: f64,
    pub unit: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetNotification {
    /// `ACTUAL` or `FORECASTED`.
    pub notification_type: String,
    /// `GREATER_THAN`, `LESS_THAN` or `EQUAL_TO`.
    pub comparison: String,
    pub threshold: f64,
    /// `PERCENTAGE` (the default) or `ABSOLUTE_VALUE`.
    pub threshold_type: String,
}
