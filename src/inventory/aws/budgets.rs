use std::collections::BTreeMap;

use aws_sdk_budgets::types::{Budget as SdkBudget, Notification, Spend};
use aws_sdk_budgets::Client;

use super::{fetch_error, AwsReader};
use crate::inventory::memo::Fetched;
use crate::model::budgets::{Budget, BudgetNotification, Money};

const SERVICE: &str = "budgets";
/// Budgets is a global service answered in us-east-1.
const REGION: &str = "us-east-1";

impl AwsReader {
    fn budgets_client(&self) -> Client {
        Client::new(&self.region_config(REGION))
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
                let found: Vec<Notification> = client
                    .describe_notifications_for_budget()
                    .account_id(account_id)
                    .budget_name(&name)
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .map_err(|e| {
                        fetch_error(SERVICE, "DescribeNotificationsForBudget", Some(&name), &e)
                    })?;
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
    }
}

fn notification(notification: &Notification) -> BudgetNotification {
    BudgetNotification {
        notification_type: notification.notification_type().as_str().to_string(),
        comparison: notification.comparison_operator().as_str().to_string(),
        threshold: notification.threshold(),
        threshold_type: notification
            .threshold_type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_else(|| "PERCENTAGE".to_string()),
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
        assert_eq!(converted.limit.unwrap().amount, 500.0);
        assert_eq!(converted.actual_spend.unwrap().amount, 123.45);
        assert_eq!(converted.forecasted_spend, None);
    }
}
