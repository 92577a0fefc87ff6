//! AWS Budgets' pieces: global (the API lives in us-east-1), read once.

use super::{accessors, each_of, pieces, Memo, PerResource};
use crate::model::budgets::{Budget, BudgetNotification};

pieces! {
    pub struct BudgetsGlobal {
        budgets: Memo<Vec<Budget>>,
        notifications: Memo<PerResource<Vec<BudgetNotification>>>,
    }
}

accessors! {
    global budgets_budgets: Vec<Budget> = budgets.budgets, "DescribeBudgets" needs ["budgets:ViewBudget"],
        |inventory, aws| aws.budgets(inventory.account_id());
    /// Each budget's notifications, keyed by budget name.
    global budgets_notifications: PerResource<Vec<BudgetNotification>> = budgets.notifications, "DescribeNotificationsForBudget" needs ["budgets:ViewBudget"],
        |inventory, aws| async move {
            let names = |budgets: &Vec<Budget>| budgets.iter().map(|b| b.name.clone()).collect();
            let listing = inventory.budgets_budgets().await;
            each_of(listing, names, |names| aws.budget_notifications(inventory.account_id(), names)).await
        };
}
