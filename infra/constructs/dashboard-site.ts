import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AuthorizationType, CognitoUserPoolsAuthorizer, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Distribution, HeadersFrameOption, HeadersReferrerPolicy, HttpVersion, ResponseHeadersPolicy, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { AccountRecovery, Mfa, OAuthScope, UserPool, type UserPoolClient, type UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { dashboardContentSecurityPolicy } from './dashboard-headers.js';
import { PROJECT_ROOT } from './guard-function.js';

/** Where `npm run build:web` writes the dashboard's static files. */
export const DASHBOARD_DIST = join(PROJECT_ROOT, 'infra', 'dashboard', 'dist');

/** The dashboard must be built before it is deployed; synth says so instead of failing inside the asset stager. */
export class DashboardNotBuiltError extends Error {
  override name = 'DashboardNotBuiltError';
}

export interface DashboardSiteProps {
  /** Cognito hosted sign-in domain prefix (globally unique per region). */
  readonly domainPrefix: string;
  /** Retention of the log group of the function that uploads the build (the stack's logRetentionDays). */
  readonly logRetention: RetentionDays;
}

/**
 * The dashboard as AWS serves it: the static build on a private S3 bucket behind CloudFront (origin access control,
 * no public bucket), and a Cognito user pool whose hosted sign-in gives the browser the ID token the read API's
 * Cognito authorizer checks. Users are created by an administrator; nobody can sign up.
 */
export class DashboardSite extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  readonly authorizer: CognitoUserPoolsAuthorizer;
  readonly url: string;
  private readonly domain: UserPoolDomain;
  private readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);
    if (!existsSync(join(DASHBOARD_DIST, 'index.html'))) {
      throw new DashboardNotBuiltError(`context value dashboard=true needs the built dashboard in ${DASHBOARD_DIST}: run "npm run build:web" first`);
    }
    const stack = Stack.of(this);
    this.logRetention = props.logRetention;

    this.bucket = new Bucket(this, 'Assets', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Only build output lives here; the next deploy writes it again.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `${stack.stackName}-dashboard`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${stack.stackName} dashboard`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: this.headersPolicy(this.domain),
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    // A browser app cannot keep a secret: authorization code with PKCE and no client secret.
    this.client = this.userPool.addClient('Dashboard', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [`${this.url}/`],
        logoutUrls: [`${this.url}/`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      preventUserExistenceErrors: true,
    });
    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [this.userPool],
      authorizerName: `${stack.stackName}-dashboard`,
      identitySource: 'method.request.header.Authorization',
    });

    new CfnOutput(stack, 'DashboardUrl', { value: `${this.url}/`, description: 'The dashboard (sign in with a user of the DashboardUserPoolId pool)' });
    new CfnOutput(stack, 'DashboardUserPoolId', { value: this.userPool.userPoolId, description: 'Add dashboard users here (admin-create-user); MFA is required' });

    this.acknowledge();
  }

  /**
   * The headers of CloudFront's managed security-headers policy (HSTS, nosniff, referrer policy), plus the
   * dashboard's Content-Security-Policy (the one the local runtime sends, with the API and sign-in origins added)
   * and frames denied rather than same-origin: the Cognito ID token sits in the page's sessionStorage, so a script
   * injected through incident data, or a page framing the dashboard, must get nowhere.
   *
   * The sign-in domain is named exactly. The API is named as "an API Gateway API of this region": its own ID cannot
   * be written here, because the API's CORS settings and the read function's allowed origin name this
   * distribution, and CloudFormation refuses the cycle. Scripts still load only from the dashboard's origin.
   */
  private headersPolicy(domain: UserPoolDomain): ResponseHeadersPolicy {
    const stack = Stack.of(this);
    const contentSecurityPolicy = dashboardContentSecurityPolicy([`https://*.execute-api.${stack.region}.${stack.urlSuffix}`, domain.baseUrl()]);
    return new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Pipeline Guard dashboard: security headers, CSP naming the API and sign-in origins',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
  }

  private acknowledge(): void {
    const plus = 'Threat protection needs the Cognito Plus feature plan (a per-user monthly cost); users are admin-created, MFA is required and sign-up is off.';
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG3', reason: plus }, { id: 'AwsSolutions-COG8', reason: plus });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds only the public build of the dashboard, readable only by CloudFront through origin access control; CloudFront is the access point to log.',
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'The dashboard is for the team wherever they are; sign-in (Cognito with MFA) is the access control, not geography.' },
      { id: 'AwsSolutions-CFR2', reason: 'Static files only; data comes from the API, which requires a Cognito token. A WAF web ACL adds a monthly cost without protecting data; attach one if your account policy requires it.' },
      { id: 'AwsSolutions-CFR3', reason: 'Static assets only; access logging would need another bucket with ACLs for files that hold no data.' },
      { id: 'AwsSolutions-CFR4', reason: 'The default *.cloudfront.net certificate cannot set a minimum TLS version; use a custom domain and certificate to enforce TLSv1.2_2021.' },
    );
  }

  /** Uploads the build and the `config.json` that points the app at `api` and at the sign-in domain. */
  publish(api: RestApi): void {
    const stack = Stack.of(this);
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(DASHBOARD_DIST),
        // Read by the app at start: where the API is and how to sign in (all public values).
        Source.jsonData('config.json', {
          apiBase: api.url,
          auth: {
            domain: this.domain.baseUrl(),
            clientId: this.client.userPoolClientId,
            redirectUri: `${this.url}/`,
          },
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 256,
      // Without one, CDK gives the upload function a log group of its own retention (two years), not the stack's.
      logGroup: new LogGroup(this, 'DeployLogs', { retention: this.logRetention }),
    });
    // BucketDeployment's function is CDK's singleton (a child of the stack), with CDK's runtime and policies: it copies
    // the build from CDK's asset bucket into this bucket and invalidates this distribution.
    const reason = 'CDK BucketDeployment handler: reads the CDK asset bucket, writes and prunes the dashboard bucket (s3:*Object* on those buckets only), and invalidates the distribution (CloudFront invalidation has no resource-level scoping here).';
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      Validations.of(child).acknowledge(
        { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'CDK BucketDeployment handler logs through the AWS-managed basic execution role.' },
        { id: 'AwsSolutions-L1', reason: 'The runtime of the BucketDeployment handler is chosen by CDK.' },
        { id: 'AwsSolutions-IAM5[Action::s3:GetObject*]', reason },
        { id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]', reason },
        { id: 'AwsSolutions-IAM5[Action::s3:List*]', reason },
        { id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]', reason },
        { id: 'AwsSolutions-IAM5[Action::s3:Abort*]', reason },
        { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]`, reason },
        { id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*]`, reason },
        { id: 'AwsSolutions-IAM5[Resource::*]', reason },
      );
    }
  }

  /** The Cognito authorization of a dashboard route. */
  get methodOptions() {
    return { authorizationType: AuthorizationType.COGNITO, authorizer: this.authorizer };
  }
}
