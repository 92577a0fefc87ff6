use std::collections::BTreeMap;

use aws_sdk_budgets::types::{Budget as SdkBudget, Notification, Spend, ThresholdType};
use aws_sdk_budgets::Client;

use super::{all_items, AwsReader};
use crate::fetched::Fetched;
use crate::model::budgets::{Budget, BudgetNotification, Money};

const SERVICE: &str = "budgets";
/// Budgets is a global service answered in us-east-1.
const REGION: &str = "us-east-1";

impl AwsReader {
    fn budgets_client(&self) -> Client {
        self.client(REGION, Client::new)
    }

    pub(crate) async fn budgets(&self, account_id: &str) -> Fetched<Vec<Budget>> {
        let client = self.budgets_client();
        let items = client
            .describe_budgets()
            .account_id(account_id)
            .into_paginator()
            .items()
            .send();
        self.listed(SERVICE, "DescribeBudgets", REGION, items, budget)
            .await
    }

    pub(crate) async fn budget_notifications(
        &self,
        account_id: &str,
        budgets: Vec<String>,
    ) -> BTreeMap<String, Fetched<Vec<BudgetNotification>>> {
        let client = self.budgets_client();
        self.per_resource(budgets, |name| {
            let client = client.clone();
            async move {
                let found: Vec<Notification> = all_items(
                    SERVICE,
                    "DescribeNotificationsForBudget",
                    &name,
                    client
                        .describe_notifications_for_budget()
                        .account_id(account_id)
                        .budget_name(&name)
                        .into_paginator()
                        .items()
                        .send(),
                )
                .await?;
                Ok(found.iter().map(notification).collect())
            }
        })
        .await
    }
}

/// An amount Budgets reports as text; one that does not parse is no data, not zero.
fn money(spend: &Spend) -> Option<Money> {
    Some(Money {
        amount: spend.amount().trim().parse().ok()?,
        unit: spend.unit().to_string(),
    })
}

fn budget(budget: &SdkBudget) -> Budget {
    let spend = budget.calculated_spend();
    Budget {
        name: budget.budget_name().to_string(),
        budget_type: budget.budget_type().as_str().to_string(),
        time_unit: budget.time_unit().as_str().to_string(),
        limit: budget.budget_limit().and_then(money),
        actual_spend: spend.and_then(|s| s.actual_spend()).and_then(money),
        forecasted_spend: spend.and_then(|s| s.forecasted_spend()).and_then(money),
        filters: filters(budget),
    }
}

/// The dimensions a budget is filtered on (sorted), and `FilterExpression` if set.
/// `CostFilters` is deprecated in favour of `FilterExpression`, but budgets made with it
/// still carry it and are still narrowed by it: both are read.
#[allow(deprecated)]
fn filters(budget: &SdkBudget) -> Vec<String> {
    let mut filters: Vec<String> = budget
        .cost_filters()
        .into_iter()
        .flatten()
        .filter(|(_, values)| !values.is_empty())
        .map(|(dimension, _)| dimension.clone())
        .collect();
    filters.sort();
    if budget.filter_expression().is_some() {
        filters.push("FilterExpression".to_string());
    }
    filters
}

fn notification(notification: &Notification) -> BudgetNotification {
    BudgetNotification {
        notification_type: notification.notification_type().as_str().to_string(),
        comparison: notification.comparison_operator().as_str().to_string(),
        threshold: notification.threshold(),
        threshold_type: notification
            .threshold_type()
            // AWS's documented default when the notification does not say.
            .unwrap_or(&ThresholdType::Percentage)
            .as_str()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_budgets::types::{BudgetType, CalculatedSpend, TimeUnit};

    #[test]
    fn spend_without_a_forecast_is_kept_as_missing() {
        let sdk = SdkBudget::builder()
            .budget_name("monthly")
            .budget_type(BudgetType::Cost)
            .time_unit(TimeUnit::Monthly)
            .budget_limit(
                Spend::builder()
                    .amount("500.0")
                    .unit("USD")
                    .build()
                    .unwrap(),
            )
            .calculated_spend(
                CalculatedSpend::builder()
                    .actual_spend(
                        Spend::builder()
                            .amount("123.45")
                            .unit("USD")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .build()
            .unwrap();
        let converted = budget(&sdk);
        assert!(converted.is_monthly_cost());
        assert!(converted.is_account_wide());
        assert_eq!(converted.limit.unwrap().amount, 500.0);
        assert_eq!(converted.actual_spend.unwrap().amount, 123.45);
        assert_eq!(converted.forecasted_spend, None);
    }

    /// SDK values through the conversion and the checks: a budget narrowed by
    /// `CostFilters` is not the account's budget, and spend without a forecast is judged.
    #[tokio::test]
    #[allow(deprecated)] // CostFilters: see `filters`
    async fn a_filtered_budget_from_sdk_values_fails_and_spend_without_forecast_is_judged() {
        use crate::checks::budgets::{monthly_budget, within_limit};
        use crate::checks::testing::{data, run, statuses};
        use crate::finding::Status;
        use crate::inventory::Memo;
        use aws_sdk_budgets::types::{CalculatedSpend, ComparisonOperator, NotificationType};

        let spend = |amount: &str| Spend::builder().amount(amount).unit("USD").build().unwrap();
        let sdk = SdkBudget::builder()
            .budget_name("ec2-only")
            .budget_type(BudgetType::Cost)
            .time_unit(TimeUnit::Monthly)
            .budget_limit(spend("1000"))
            .cost_filters(
                "Service",
                vec!["Amazon Elastic Compute Cloud - Compute".into()],
            )
            .calculated_spend(
                CalculatedSpend::builder()
                    .actual_spend(spend("200"))
                    .build(),
            )
            .build()
            .unwrap();
        let converted = budget(&sdk);
        assert_eq!(converted.filters, ["Service"]);
        let alerts: Vec<BudgetNotification> = [80.0, 100.0]
            .into_iter()
            .map(|threshold| {
                notification(
                    &Notification::builder()
                        .notification_type(NotificationType::Actual)
                        .comparison_operator(ComparisonOperator::GreaterThan)
                        .threshold(threshold)
                        .build()
                        .unwrap(),
                )
            })
            .collect();
        let account = || {
            let mut data = data();
            data.global.budgets.budgets = Memo::ready(Fetched::Ok(vec![converted.clone()]));
            data.global.budgets.notifications = Memo::ready(Fetched::Ok(
                [("ec2-only".to_string(), Fetched::Ok(alerts.clone()))].into(),
            ));
            data
        };
        assert_eq!(
            statuses(&run(account(), false, monthly_budget).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(account(), false, within_limit).await),
            [Status::Pass]
        );
    }
}
