use aws_sdk_budgets::types::{BudgetType, ComparisonOperator, ThresholdType, TimeUnit};
use serde::{Deserialize, Serialize};

/// An AWS Budgets budget of the account (DescribeBudgets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Budget {
    /// `BudgetName`: unique within the account.
    pub name: String,
    /// `COST`, `USAGE`, `RI_UTILIZATION`, ...
    pub budget_type: String,
    /// `MONTHLY`, `QUARTERLY`, `ANNUALLY`, `DAILY`.
    pub time_unit: String,
    /// `BudgetLimit`: the amount the budget allows per period; `None` when it has none or
    /// the amount does not parse as a number.
    pub limit: Option<Money>,
    /// Month-to-date spend as Budgets calculated it; `None` when it has none yet.
    pub actual_spend: Option<Money>,
    /// Spend Budgets forecasts for the whole period; `None` when it has no forecast yet.
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

/// An amount as Budgets reports it (`Spend`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Money {
    /// `Amount`, parsed from Budgets' decimal text.
    pub amount: f64,
    /// `Unit`: the currency (`USD`) for a cost budget, the usage unit (`GB`, `Hrs`) otherwise.
    pub unit: String,
}

/// An alert set on a budget (DescribeNotificationsForBudget).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BudgetNotification {
    /// `ACTUAL` or `FORECASTED`.
    pub notification_type: String,
    /// `GREATER_THAN`, `LESS_THAN` or `EQUAL_TO`.
    pub comparison: String,
    /// `Threshold`: a percentage of the limit (`80` is 80 %) or an amount, per `threshold_type`.
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
