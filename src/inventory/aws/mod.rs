//! The only code that talks to AWS: one module per service, each turning SDK
//! responses into our model and SDK errors into `FetchError` values.

mod acm;
mod autoscaling;
mod backup;
mod budgets;
mod ce;
mod cloudtrail;
mod cloudwatch;
mod config;
mod dynamodb;
mod ec2;
mod ecs;
mod elasticache;
mod elb;
mod elbv2;
mod eventbridge;
mod fis;
mod guardduty;
mod health;
mod iam;
mod kms;
mod lambda;
mod logs;
mod organizations;
mod pipes;
mod rds;
mod s3;
mod scheduler;
mod secretsmanager;
mod securityhub;
mod sns;
mod sqs;
mod sts;
mod synthetics;
mod tagging;

pub use organizations::OrgAccount;
pub use rds::ParameterGroupKind;
pub use s3::EmulatorEndpoint;

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::Semaphore;

use crate::fetched::{FetchError, Fetched};

/// How to reach AWS: the standard credential chain, optionally a named profile.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    pub profile: Option<String>,
    /// Overrides every service endpoint (emulators); `AWS_ENDPOINT_URL` does the same.
    pub endpoint_url: Option<String>,
    /// Regions asked for explicitly; when empty the credential chain's region is used.
    pub regions: Vec<String>,
    /// The account's enabled regions instead (`--all-regions`).
    pub all_regions: bool,
    /// Upper bound on AWS requests in flight at once, over every account audited.
    pub concurrency: usize,
    pub resilience: Resilience,
}

/// How hard to try: the SDK's retry mode and attempts, and how long one call may take.
#[derive(Clone, Debug, PartialEq)]
pub struct Resilience {
    pub retry_mode: RetryMode,
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    /// The most one call may take, its retries and their backoff included.
    pub call_timeout: Duration,
}

/// Eight attempts ride out a 25 % failure rate (throttling and 5xx) with the same
/// findings as a clean run (tests/faults.rs); 90 s per call keeps a hung endpoint from
/// holding a run for more than two minutes.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(90);

impl Default for Resilience {
    fn default() -> Self {
        Resilience {
            retry_mode: RetryMode::Standard,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            call_timeout: DEFAULT_CALL_TIMEOUT,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RetryMode {
    /// Exponential backoff with jitter, within a retry quota
    Standard,
    /// Standard, plus client-side rate limiting when AWS throttles
    Adaptive,
}

/// A verified connection: credentials that work, and the account they belong to.
pub struct Connection {
    pub reader: Arc<AwsReader>,
    pub account_id: String,
    pub caller_arn: String,
    /// Where the credentials were verified, and where account-wide reads go.
    pub home_region: String,
}

/// The regions to audit in one account, and the ones left out with why.
pub struct AuditedRegions {
    pub regions: Vec<String>,
    pub skipped: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "no AWS region configured: pass --region, set `regions` in orr.toml, or set AWS_REGION / a region in your AWS profile"
    )]
    NoRegion,
    #[error(
        "cannot verify AWS credentials: {0}. Configure credentials with --profile, AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and check that the endpoint is reachable"
    )]
    Unverified(FetchError),
    #[error(
        "AWS profile '{0}' is not defined in your AWS config or credentials files (AWS_CONFIG_FILE or ~/.aws/config, AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials): check the name with `aws configure list-profiles`"
    )]
    UnknownProfile(String),
    #[error("cannot read your AWS config files: {0}")]
    ProfileFiles(String),
    #[error("cannot list the account's enabled regions for --all-regions: {0}")]
    Regions(FetchError),
    #[error("{0}")]
    Environment(String),
}

/// Environment settings aws-config reads and would panic on or turn into a page-long
/// construction error: checked first, each refused with what to set instead.
fn check_environment(
    read: impl Fn(&str) -> Option<String>,
    region_given: bool,
) -> Result<(), ConnectError> {
    if let Some(value) = read("AWS_MAX_ATTEMPTS") {
        if !value.trim().parse::<u32>().is_ok_and(|n| n >= 1) {
            return Err(ConnectError::Environment(format!(
                "AWS_MAX_ATTEMPTS is '{}': give a whole number of 1 or more, or unset it (orr's --max-attempts sets the attempts)",
                crate::text::shorten(&value, 40)
            )));
        }
    }
    if let Some(value) = read("AWS_RETRY_MODE") {
        if !matches!(value.trim(), "standard" | "adaptive" | "legacy") {
            return Err(ConnectError::Environment(format!(
                "AWS_RETRY_MODE is '{}': give standard or adaptive, or unset it (orr's --retry-mode sets the mode)",
                crate::text::shorten(&value, 40)
            )));
        }
    }
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if !region_given && read(name).is_some_and(|v| v.trim().is_empty()) {
            return Err(ConnectError::Environment(format!(
                "{name} is set but empty: set it to a region (e.g. us-east-1), unset it, or pass --region"
            )));
        }
    }
    Ok(())
}

pub struct AwsReader {
    sdk: SdkConfig,
    /// Shared by the readers of every account in a run: one bound on calls in flight,
    /// and the count of calls made.
    requests: Arc<Requests>,
    /// Tighter bounds for APIs with low rate limits, within the global one.
    service_permits: BTreeMap<&'static str, Semaphore>,
    /// One client per service and region, built the first time a read needs it.
    clients: ServiceClients,
    /// Where AWS Health answers in the commercial partition, looked up once.
    health_region: tokio::sync::OnceCell<&'static str>,
    /// GetAccountAuthorizationDetails, read once for the pieces made from it (policy
    /// documents, users, roles).
    iam_details: tokio::sync::OnceCell<Fetched<crate::model::iam::AuthorizationDetails>>,
}

/// The run's bound on AWS requests in flight, and how many are in flight and done (for
/// the progress line: on a slow link, where the time goes).
pub struct Requests {
    permits: Semaphore,
    in_flight: AtomicUsize,
    done: AtomicUsize,
}

impl Requests {
    fn new(concurrency: usize) -> Requests {
        Requests {
            permits: Semaphore::new(concurrency.max(1)),
            in_flight: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
        }
    }

    /// Requests in flight now, and answered (or failed) so far.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.in_flight.load(Ordering::Relaxed),
            self.done.load(Ordering::Relaxed),
        )
    }

    /// Runs `request` under a permit, counted while it runs (and once done, even when
    /// the caller gives up on it).
    async fn run<T>(&self, request: impl Future<Output = T>) -> T {
        struct Counted<'a>(&'a Requests);
        impl Drop for Counted<'_> {
            fn drop(&mut self) {
                self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
                self.0.done.fetch_add(1, Ordering::Relaxed);
            }
        }
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("the request semaphore is never closed");
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        let _counted = Counted(self);
        request.await
    }
}

/// Service clients by type and region. A client holds its configuration and runtime
/// plugins; built per request (as before), an audit with 16 calls in flight held 16 of
/// them at a time and rebuilt the same one for every page of every read.
#[derive(Default)]
struct ServiceClients(Mutex<HashMap<(TypeId, String), Box<dyn Any + Send + Sync>>>);

impl ServiceClients {
    fn get<C: Clone + Send + Sync + 'static>(&self, region: &str, build: impl FnOnce() -> C) -> C {
        let key = (TypeId::of::<C>(), region.to_string());
        let cached = |map: &HashMap<_, Box<dyn Any + Send + Sync>>| {
            map.get(&key)
                .and_then(|client| client.downcast_ref::<C>())
                .cloned()
        };
        if let Some(client) = cached(&self.0.lock().expect("the client cache is never poisoned")) {
            return client;
        }
        // Built outside the lock; if two reads race, the first one stored wins.
        let built = build();
        let mut map = self.0.lock().expect("the client cache is never poisoned");
        map.entry(key.clone()).or_insert_with(|| Box::new(built));
        cached(&map).expect("stored above")
    }
}

/// The SDK's own default HTTP client (hyper 1, rustls with aws-lc, proxy settings from the
/// environment), built once for a run. Left to the SDK, every service client builds its
/// own: its own TLS configuration and root store, its own connection pool, so no
/// connection was reused between two requests.
fn shared_http_client() -> Option<SharedHttpClient> {
    let plugin = aws_smithy_runtime::client::defaults::default_http_client_plugin_v2(
        BehaviorVersion::latest(),
    )?;
    plugin
        .runtime_components(&RuntimeComponentsBuilder::new("orr"))
        .http_client()
}

/// IAM allows far fewer requests per second than EC2 or S3 (and is global, so every
/// region's reads share its limit): a few at a time, not the whole concurrency.
const SERVICE_LIMITS: &[(&str, usize)] = &[("iam", 4)];

impl AwsReader {
    pub async fn connect(options: &ConnectOptions) -> Result<Connection, ConnectError> {
        check_environment(|name| std::env::var(name).ok(), !options.regions.is_empty())?;
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(profile) = &options.profile {
            ensure_profile(profile).await?;
            // Credentials from that profile only: with the default chain, credentials in
            // the environment would win and the wrong account would be audited.
            loader = loader.profile_name(profile).credentials_provider(
                aws_config::profile::ProfileFileCredentialsProvider::builder()
                    .profile_name(profile)
                    .build(),
            );
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        // Set before loading, so the credential providers (SSO, a profile's role) share it.
        if let Some(client) = shared_http_client() {
            loader = loader.http_client(client);
        }
        Self::connect_with(loader.load().await, options).await
    }

    /// Verifies the credentials of an already loaded SDK configuration, with the
    /// concurrency and resilience of `options` (the first of its regions, or else the
    /// configuration's own, is where they are verified).
    pub async fn connect_with(
        sdk: SdkConfig,
        options: &ConnectOptions,
    ) -> Result<Connection, ConnectError> {
        let home = match (options.regions.first(), sdk.region()) {
            (Some(region), _) => region.clone(),
            (None, Some(region)) => region.to_string(),
            // Listing the enabled regions needs a region to ask in; any region of the
            // partition answers for all of them.
            (None, None) if options.all_regions => "us-east-1".to_string(),
            (None, None) => return Err(ConnectError::NoRegion),
        };
        let requests = Arc::new(Requests::new(options.concurrency));
        Self::verified(sdk, options, requests, home).await
    }

    /// A connection to another account through `role_arn`, under this one's bound on
    /// calls in flight. The SDK's provider assumes the role again before the session
    /// ends, so a long run keeps working.
    pub async fn assume(
        &self,
        role_arn: &str,
        external_id: Option<&str>,
        home_region: &str,
        options: &ConnectOptions,
    ) -> Result<Connection, ConnectError> {
        let mut provider = aws_config::sts::AssumeRoleProvider::builder(role_arn)
            .session_name(sts::session_name())
            .region(Region::new(home_region.to_string()))
            .configure(&self.sdk);
        if let Some(id) = external_id {
            provider = provider.external_id(id);
        }
        let credentials =
            aws_sdk_sts::config::SharedCredentialsProvider::new(provider.build().await);
        let sdk = self
            .sdk
            .to_builder()
            .credentials_provider(credentials)
            .build();
        Self::verified(sdk, options, self.requests.clone(), home_region.to_string()).await
    }

    async fn verified(
        sdk: SdkConfig,
        options: &ConnectOptions,
        requests: Arc<Requests>,
        home_region: String,
    ) -> Result<Connection, ConnectError> {
        let reader = AwsReader {
            sdk: bounded(sdk, &options.resilience),
            requests,
            service_permits: SERVICE_LIMITS
                .iter()
                .map(|(service, limit)| (*service, Semaphore::new(*limit)))
                .collect(),
            clients: ServiceClients::default(),
            health_region: Default::default(),
            iam_details: Default::default(),
        };
        let identity = reader
            .caller_identity(&home_region)
            .await
            .map_err(ConnectError::Unverified)?;
        Ok(Connection {
            reader: Arc::new(reader),
            account_id: identity.account_id,
            caller_arn: identity.arn,
            home_region,
        })
    }

    /// The client of type `C` for `region`, built from the region's configuration the
    /// first time it is asked for.
    fn client<C: Clone + Send + Sync + 'static>(
        &self,
        region: &str,
        build: impl FnOnce(&SdkConfig) -> C,
    ) -> C {
        self.clients
            .get(region, || build(&self.region_config(region)))
    }

    fn region_config(&self, region: &str) -> SdkConfig {
        self.sdk
            .to_builder()
            .region(Region::new(region.to_string()))
            .build()
    }

    /// The endpoint set with `AWS_ENDPOINT_URL` (or a profile's `endpoint_url`): an
    /// emulator, where S3 needs path-style addressing and S3 Control its host left alone.
    fn endpoint_override(&self) -> Option<&str> {
        self.sdk.endpoint_url()
    }

    /// Runs one AWS request under the global bound on requests in flight.
    async fn call<T>(&self, request: impl Future<Output = T>) -> T {
        self.requests.run(request).await
    }

    /// The run's requests: in flight and done.
    pub fn requests(&self) -> Arc<Requests> {
        self.requests.clone()
    }

    /// Runs one request to `service` under its own bound too, where it has one.
    async fn call_to<T>(&self, service: &str, request: impl Future<Output = T>) -> T {
        let _permit = match self.service_permits.get(service) {
            Some(permits) => Some(
                permits
                    .acquire()
                    .await
                    .expect("the request semaphores are never closed"),
            ),
            None => None,
        };
        self.call(request).await
    }

    /// Reads one thing per resource, concurrently within the request bound; each
    /// resource keeps its own outcome so one AccessDenied does not hide the others.
    async fn per_resource<T, F, Fut>(
        &self,
        names: impl IntoIterator<Item = String>,
        read: F,
    ) -> BTreeMap<String, Fetched<T>>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, FetchError>>,
    {
        let mut reads: FuturesUnordered<_> = names
            .into_iter()
            .map(|name| {
                let request = read(name.clone());
                async move { (name, self.call(request).await.into()) }
            })
            .collect();
        let mut results = BTreeMap::new();
        while let Some((name, outcome)) = reads.next().await {
            results.insert(name, outcome);
        }
        results
    }
}

/// How long a DNS lookup orr makes itself (AWS Health's active endpoint, a region's S3
/// Express control host) may take in all, before orr goes on as if it had no answer.
const DNS_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// The system's resolver, asking each name server once and waiting a second for it.
fn system_resolver() -> Result<hickory_resolver::TokioResolver, hickory_resolver::net::NetError> {
    let mut builder = hickory_resolver::TokioResolver::builder_tokio()?;
    builder.options_mut().timeout = std::time::Duration::from_secs(1);
    builder.options_mut().attempts = 1;
    builder.build()
}

/// Tags as key to value, from any service's tag type: a tag without a key is no tag,
/// one without a value has an empty one.
fn tag_map<'a>(
    tags: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> BTreeMap<String, String> {
    tags.into_iter()
        .filter_map(|(key, value)| Some((key?.to_string(), value.unwrap_or_default().to_string())))
        .collect()
}

impl AwsReader {
    /// One request per resource, its answer turned into the model by `convert`: the
    /// shape of most per-resource reads (`send` builds and sends the request for one
    /// name; a failed request is that resource's error, naming it and `operation`).
    async fn each_answer<T, O, E, F, Fut>(
        &self,
        service: &'static str,
        operation: &'static str,
        names: Vec<String>,
        send: F,
        convert: impl Fn(O) -> T,
    ) -> BTreeMap<String, Fetched<T>>
    where
        F: Fn(&str) -> Fut,
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let convert = &convert;
        self.per_resource(names, |name| {
            let request = send(&name);
            async move {
                request
                    .await
                    .map(convert)
                    .map_err(|e| fetch_error(service, operation, Some(&name), &e))
            }
        })
        .await
    }
}

impl Connection {
    /// The regions to audit in this account: those asked for, the enabled ones with
    /// `--all-regions`, or else the home region.
    pub async fn regions(&self, options: &ConnectOptions) -> Result<AuditedRegions, ConnectError> {
        if options.all_regions {
            let found = self
                .reader
                .ec2_enabled_regions(&self.home_region)
                .await
                .map_err(ConnectError::Regions)?;
            return Ok(AuditedRegions {
                regions: found.regions,
                skipped: found.skipped,
            });
        }
        let regions = if options.regions.is_empty() {
            vec![self.home_region.clone()]
        } else {
            options.regions.clone()
        };
        Ok(AuditedRegions {
            regions,
            skipped: Vec::new(),
        })
    }
}

impl AwsReader {
    /// Every item of a paginated listing turned into model values, or the error that
    /// names the call and the region it was asked in.
    async fn listed<T, U, E>(
        &self,
        service: &str,
        operation: &str,
        region: &str,
        items: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
        convert: impl Fn(&T) -> U,
    ) -> Fetched<Vec<U>>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        self.call_to(service, all_items(service, operation, region, items))
            .await
            .map(|found| found.iter().map(convert).collect())
            .into()
    }
}

/// Every item of a paginated listing, or the error that names the call and what it was
/// about (a region, or the one resource a per-resource read is for).
async fn all_items<T, E>(
    service: &str,
    operation: &str,
    about: &str,
    items: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
) -> Result<Vec<T>, FetchError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    items
        .try_collect()
        .await
        .map_err(|e| fetch_error(service, operation, Some(about), &e))
}

impl AwsReader {
    /// Every item of a listing that pages with a token or marker the SDK has no
    /// paginator for: `page` asks for one page and gives its items and the next token.
    /// A token given back unchanged is an error, as the SDK's own paginators make it,
    /// never an endless loop.
    async fn token_paged<T, E, Fut>(
        &self,
        service: &str,
        operation: &str,
        resource: &str,
        mut page: impl FnMut(Option<String>) -> Fut,
    ) -> Result<Vec<T>, FetchError>
    where
        Fut: Future<Output = Result<(Vec<T>, Option<String>), SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let (found, next) = self
                .call_to(service, page(token.clone()))
                .await
                .map_err(|e| fetch_error(service, operation, Some(resource), &e))?;
            items.extend(found);
            match next {
                Some(next) if token.as_deref() == Some(next.as_str()) => {
                    return Err(FetchError::new(
                        service,
                        operation,
                        Some(resource),
                        "RepeatedToken",
                        "the answer gave back the token it was asked with",
                    ))
                }
                Some(next) if !next.is_empty() => token = Some(next),
                _ => return Ok(items),
            }
        }
    }
}

/// A named profile must exist: otherwise the credential chain would quietly fall back
/// to whatever else it finds.
async fn ensure_profile(name: &str) -> Result<(), ConnectError> {
    use aws_types::os_shim_internal::{Env, Fs};
    let files = aws_runtime::env_config::file::EnvConfigFiles::default();
    match aws_config::profile::load(&Fs::real(), &Env::real(), &files, None).await {
        Ok(profiles) if profiles.get_profile(name).is_some() => Ok(()),
        Ok(_) => Err(ConnectError::UnknownProfile(name.to_string())),
        Err(error) => Err(ConnectError::ProfileFiles(causes(&error))),
    }
}

/// A connection that never opens, an answer that stops arriving, or an attempt that
/// drags on ends in a timeout (an ERROR naming the call), not a hung audit. Timeouts
/// set in the caller's own configuration are kept; the retry mode and attempts are
/// orr's (flags or orr.toml).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const READ_TIMEOUT: Duration = Duration::from_secs(30);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(45);

fn bounded(sdk: SdkConfig, resilience: &Resilience) -> SdkConfig {
    let own = sdk
        .timeout_config()
        .cloned()
        .unwrap_or_else(|| TimeoutConfig::builder().build());
    let call = own.operation_timeout().unwrap_or(resilience.call_timeout);
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(own.connect_timeout().unwrap_or(CONNECT_TIMEOUT).min(call))
        .read_timeout(own.read_timeout().unwrap_or(READ_TIMEOUT).min(call))
        .operation_attempt_timeout(
            own.operation_attempt_timeout()
                .unwrap_or(ATTEMPT_TIMEOUT)
                .min(call),
        )
        .operation_timeout(call)
        .build();
    let retry = match resilience.retry_mode {
        RetryMode::Standard => RetryConfig::standard(),
        RetryMode::Adaptive => RetryConfig::adaptive(),
    }
    .with_max_attempts(resilience.max_attempts);
    let http_client = sdk.http_client().or_else(shared_http_client);
    let mut sdk = sdk
        .into_builder()
        .timeout_config(timeouts)
        .retry_config(retry);
    sdk.set_http_client(http_client);
    sdk.build()
}

/// Turns an SDK error into a `FetchError` that names the service, the operation,
/// the resource and, in one line, what AWS (or the connection) said.
fn fetch_error<E>(
    service: &str,
    operation: &str,
    resource: Option<&str>,
    error: &SdkError<E, HttpResponse>,
) -> FetchError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let status = || {
        error
            .raw_response()
            .map(|r| format!("HTTP {}", r.status().as_u16()))
            .unwrap_or_else(|| "no HTTP status".to_string())
    };
    let (code, message) = match error {
        SdkError::ServiceError(_) => (
            error.code().unwrap_or("Unknown").to_string(),
            match error.message() {
                Some(message) => message.to_string(),
                None => format!(
                    "{} with no error code or message the SDK recognises: {}",
                    status(),
                    causes(error)
                ),
            },
        ),
        SdkError::TimeoutError(_) => (
            "Timeout".to_string(),
            "no answer in time (every attempt, or the whole call with its retries, timed out)"
                .to_string(),
        ),
        SdkError::DispatchFailure(failure) => (
            "DispatchFailure".to_string(),
            match failure.as_connector_error() {
                Some(connector) => causes(connector),
                None => "the request could not be sent".to_string(),
            },
        ),
        // The service answered something the SDK could not read (an emulator's HTML
        // error page, a proxy's response): its status is what a person can act on.
        SdkError::ResponseError(_) => (
            "ResponseError".to_string(),
            format!(
                "{} with a response the SDK could not read: {}",
                status(),
                causes(error)
            ),
        ),
        _ => ("ConstructionFailure".to_string(), causes(error)),
    };
    FetchError::new(service, operation, resource, code, message)
}

/// An error and its causes on one line, without the debug dumps some of them carry.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let one_line = |e: &dyn std::error::Error| {
        e.to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut parts = vec![one_line(error)];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = one_line(cause);
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// An SDK timestamp (one type shared by every service crate) as a chrono instant.
fn instant(time: &aws_sdk_s3::primitives::DateTime) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(time.secs(), time.subsec_nanos())
}

/// Whether AWS answered with `code`: some "not configured" states come back as errors.
fn is_code<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>, code: &str) -> bool {
    error.code() == Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn token_pages_are_followed_to_the_end_and_a_repeated_token_is_an_error() {
        type Refused =
            SdkError<aws_sdk_s3::operation::list_buckets::ListBucketsError, HttpResponse>;
        let reader = AwsReader {
            sdk: SdkConfig::builder().build(),
            requests: Arc::new(Requests::new(1)),
            service_permits: BTreeMap::new(),
            clients: ServiceClients::default(),
            health_region: Default::default(),
            iam_details: Default::default(),
        };
        let pages = |script: Vec<(u32, Option<&'static str>)>| {
            let mut script = script.into_iter();
            move |_token: Option<String>| {
                let (item, next) = script.next().expect("asked for a page past the end");
                async move { Ok::<_, Refused>((vec![item], next.map(str::to_string))) }
            }
        };
        let all = reader
            .token_paged(
                "events",
                "ListRules",
                "default",
                pages(vec![(1, Some("a")), (2, Some("b")), (3, None)]),
            )
            .await
            .unwrap();
        assert_eq!(all, [1, 2, 3]);
        let stuck = reader
            .token_paged(
                "events",
                "ListRules",
                "default",
                pages(vec![(1, Some("a")), (2, Some("a"))]),
            )
            .await
            .unwrap_err();
        assert_eq!(stuck.code, "RepeatedToken");
    }

    #[test]
    fn environment_aws_config_would_panic_on_is_refused_in_one_line() {
        let with = |pairs: &'static [(&'static str, &'static str)]| {
            check_environment(
                move |name| {
                    pairs
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, v)| v.to_string())
                },
                false,
            )
        };
        assert!(with(&[]).is_ok());
        assert!(with(&[("AWS_MAX_ATTEMPTS", "3"), ("AWS_REGION", "eu-west-1")]).is_ok());
        for (pairs, said) in [
            (
                &[("AWS_MAX_ATTEMPTS", "abc")][..],
                "AWS_MAX_ATTEMPTS is 'abc'",
            ),
            (&[("AWS_MAX_ATTEMPTS", "0")][..], "1 or more"),
            (
                &[("AWS_RETRY_MODE", "wild")][..],
                "AWS_RETRY_MODE is 'wild'",
            ),
            (&[("AWS_REGION", "")][..], "AWS_REGION is set but empty"),
        ] {
            let error = with(pairs).unwrap_err().to_string();
            assert!(error.contains(said), "{error}");
            assert_eq!(error.lines().count(), 1);
        }
    }

    #[test]
    fn every_call_is_bounded_and_the_callers_own_timeouts_are_kept() {
        let resilience = Resilience::default();
        let plain = bounded(SdkConfig::builder().build(), &resilience);
        let timeouts = plain.timeout_config().unwrap();
        assert_eq!(timeouts.connect_timeout(), Some(CONNECT_TIMEOUT));
        assert_eq!(timeouts.read_timeout(), Some(READ_TIMEOUT));
        assert_eq!(timeouts.operation_attempt_timeout(), Some(ATTEMPT_TIMEOUT));
        assert_eq!(timeouts.operation_timeout(), Some(DEFAULT_CALL_TIMEOUT));
        let retry = plain.retry_config().unwrap();
        assert_eq!(retry.max_attempts(), DEFAULT_MAX_ATTEMPTS);
        assert_eq!(
            retry.mode(),
            aws_config::retry::RetryMode::Standard,
            "standard by default"
        );

        let own = TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(1))
            .operation_timeout(Duration::from_secs(5))
            .build();
        let adaptive = Resilience {
            retry_mode: RetryMode::Adaptive,
            max_attempts: 2,
            call_timeout: Duration::from_secs(3),
        };
        let kept = bounded(SdkConfig::builder().timeout_config(own).build(), &adaptive);
        let timeouts = kept.timeout_config().unwrap();
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(1)));
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(5)));
        assert_eq!(timeouts.read_timeout(), Some(Duration::from_secs(5)));
        assert_eq!(kept.retry_config().unwrap().max_attempts(), 2);
        assert_eq!(
            kept.retry_config().unwrap().mode(),
            aws_config::retry::RetryMode::Adaptive
        );
    }
}
