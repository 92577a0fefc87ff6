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
    iam "budgets";
    global budgets_budgets: Vec<Budget> = budgets.budgets, "DescribeBudgets" grants ["budgets:ViewBudget"],
        |inventory, aws| aws.budgets(inventory.account_id());
    /// Each budget's notifications, keyed by budget name.
    global budgets_notifications: PerResource<Vec<BudgetNotification>> = budgets.notifications, "DescribeNotificationsForBudget" grants ["budgets:ViewBudget"] after [budgets_budgets],
        |inventory, aws| async move {
            let names = |budgets: &Vec<Budget>| budgets.iter().map(|b| b.name.clone()).collect();
            let listing = inventory.budgets_budgets().await;
            each_of(listing, names, |names| aws.budget_notifications(inventory.account_id(), names)).await
        };
}
