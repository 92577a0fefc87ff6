use aws_sdk_budgets::types::{BudgetType, ComparisonOperator, ThresholdType, TimeUnit};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// What narrows the budget to part of the account's spend: the dimensions of its
    /// `CostFilters` (`Service`, `TagKeyValue`, `LinkedAccount`, ...), and
    /// `FilterExpression` when it has one. Empty for a budget of the whole account.
    #[serde(default)]
    pub filters: Vec<String>,
}

impl Budget {
    pub fn is_monthly_cost(&self) -> bool {
        BudgetType::from(self.budget_type.as_str()) == BudgetType::Cost
            && TimeUnit::from(self.time_unit.as_str()) == TimeUnit::Monthly
    }

    /// Whether it budgets the account's whole spend, not one service's or tag's.
    pub fn is_account_wide(&self) -> bool {
        self.filters.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Money {
    pub amount: f64,
    pub unit: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BudgetNotification {
    /// `ACTUAL` or `FORECASTED`.
    pub notification_type: String,
    /// `GREATER_THAN`, `LESS_THAN` or `EQUAL_TO`.
    pub comparison: String,
    pub threshold: f64,
    /// `PERCENTAGE` (the default) or `ABSOLUTE_VALUE`.
    pub threshold_type: String,
}

impl BudgetNotification {
    /// Whether it alerts when spend goes above `percent` % of the limit.
    pub fn alerts_above_percent(&self, percent: f64) -> bool {
        ThresholdType::from(self.threshold_type.as_str()) == ThresholdType::Percentage
            && ComparisonOperator::from(self.comparison.as_str()) == ComparisonOperator::GreaterThan
            && (self.threshold - percent).abs() < 0.01
    }
}
