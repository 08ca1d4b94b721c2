import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dashboardContentSecurityPolicy } from '../../infra/constructs/dashboard-headers.js';
import { READ_ROUTES } from '../../infra/stack.js';
import { METRIC, RECONCILER_METRIC } from '../../shared/adapters/metric-names.js';
import { functionLogicalId, synth } from './support.js';

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: unknown }>;

/** Full path of an AWS::ApiGateway::Resource, resolved through its parents. */
function pathsOf(resources: Resources): Map<string, string> {
  const paths = new Map<string, string>();
  const resolve = (id: string): string => {
    const known = paths.get(id);
    if (known) return known;
    const r = resources[id];
    const parent = r?.Properties.ParentId;
    const parentPath = parent?.Ref ? resolve(parent.Ref as string) : '';
    const path = `${parentPath}/${r?.Properties.PathPart as string}`;
    paths.set(id, path);
    return path;
  };
  for (const [id, r] of Object.entries(resources)) if (r.Type === 'AWS::ApiGateway::Resource') resolve(id);
  return paths;
}

function getMethods(resources: Resources, apiLogicalId: string) {
  const paths = pathsOf(resources);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.HttpMethod === 'GET' && r.Properties.RestApiId?.Ref === apiLogicalId)
    .map((r) => ({ path: paths.get(r.Properties.ResourceId?.Ref as string) ?? '/', auth: r.Properties.AuthorizationType as string, method: r }));
}

describe('read API in AWS', () => {
  const { stack, template } = synth();
  const resources = template.toJSON().Resources as Resources;
  const apiId = stack.getLogicalId(stack.api.node.defaultChild as never);

  it('serves every read route on the API with IAM (SigV4) authorization, through the read-api function', () => {
    const methods = getMethods(resources, apiId);
    expect(methods.map((m) => m.path).sort()).toEqual([...READ_ROUTES].sort());
    const readFn = functionLogicalId(stack, stack.functions['read-api']);
    for (const m of methods) {
      expect(m.auth, m.path).toBe('AWS_IAM');
      expect(JSON.stringify(m.method.Properties.Integration), m.path).toContain(readFn);
    }
  });

  it('keeps the gate IAM-authorized and the webhook HMAC-only', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'NONE' });
  });

  it('has no dashboard site, user pool or second API unless asked for', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
  });

  it('has a CloudWatch dashboard charting the business metrics the stages emit', () => {
    const dashboards = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const name of [...Object.values(METRIC), ...Object.values(RECONCILER_METRIC)]) expect(body, name).toContain(name);
    expect(body).toContain('PipelineGuard');
  });
});

describe('two stacks in one account (-c stackName=…)', () => {
  const production = synth();
  const staging = synth({ stackName: 'PipelineGuard-staging' });
  const servicesOf = ({ template }: typeof production) =>
    new Set(
      Object.values(template.toJSON().Resources as Resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .map((r) => r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME as unknown),
    );
  /** The services the stage metrics of the dashboard are charted by: each SEARCH's `service="…"`, each plain metric's dimension. */
  const chartedServicesOf = ({ template }: typeof production) => {
    const body = Object.values(template.toJSON().Resources as Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard')?.Properties.DashboardBody;
    const text = (body['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
    const metrics = (JSON.parse(text) as { widgets: Array<{ properties: { metrics?: unknown[][] } }> }).widgets.flatMap((w) => w.properties.metrics ?? []);
    const services: string[] = [];
    for (const metric of metrics) {
      const search = (metric[0] as { expression?: string }).expression;
      if (search !== undefined) services.push(/ service="([^"]*)"/.exec(search)?.[1] ?? 'none');
      else if (metric[0] === 'PipelineGuard') services.push(String(metric[metric.indexOf('service') + 1]));
    }
    return services;
  };

  it("emit their metrics under their own service, and each dashboard charts only its own stack's", () => {
    expect(servicesOf(production)).toEqual(new Set(['pipeline-guard']));
    expect(servicesOf(staging)).toEqual(new Set(['pipeline-guard-PipelineGuard-staging']));

    const charted = chartedServicesOf(staging);
    expect(charted.length).toBeGreaterThan(10);
    expect(new Set(charted)).toEqual(new Set(['pipeline-guard-PipelineGuard-staging']));
    expect(new Set(chartedServicesOf(production))).toEqual(new Set(['pipeline-guard']));
  });
});

describe('dashboard site (-c dashboard=true)', () => {
  const { stack, template } = synth({ dashboard: 'true', dashboardDomainPrefix: 'guard-test' });
  const resources = template.toJSON().Resources as Resources;

  it('adds a user pool without self sign-up, MFA required, and a PKCE client without a secret', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false, AllowedOAuthFlows: ['code'] });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'guard-test' });
  });

  it('serves the same read routes on a second API with the Cognito user pool authorizer', () => {
    const dashboardApi = stack.getLogicalId(stack.dashboardApi?.node.defaultChild as never);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS', RestApiId: { Ref: dashboardApi } });
    const methods = getMethods(resources, dashboardApi);
    expect(methods.map((m) => m.path).sort()).toEqual([...READ_ROUTES].sort());
    for (const m of methods) expect(m.auth, m.path).toBe('COGNITO_USER_POOLS');
  });

  it('puts the static site on a private bucket behind CloudFront with origin access control', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }) });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ DefaultRootObject: 'index.html', Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })] }),
    });
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties).includes('cloudfront.amazonaws.com'));
    expect(JSON.stringify(policy?.Properties)).toContain('AWS:SourceArn');
  });

  it('serves the site with a Content-Security-Policy that lets the app reach only its API and sign-in domain', () => {
    const policies = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(policies).toHaveLength(1);
    const [policyId, policy] = policies[0]!;
    const behavior = resources[stack.getLogicalId(stack.dashboardSite?.distribution.node.defaultChild as never)]?.Properties.DistributionConfig.DefaultCacheBehavior;
    expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });

    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000, Override: true });
    // The CSP is a join of text and references: the local runtime's policy plus a connect-src naming the
    // region's API Gateway endpoints and this stack's Cognito domain (by its name).
    const csp = headers.ContentSecurityPolicy;
    expect(csp.Override).toBe(true);
    const parts = csp.ContentSecurityPolicy['Fn::Join'][1] as unknown[];
    const text = parts.map((p) => (typeof p === 'string' ? p : '<ref>')).join('');
    expect(text).toBe(dashboardContentSecurityPolicy(['https://*.execute-api.<ref>.<ref>', 'https://<ref>.auth.<ref>.amazoncognito.com']));
    for (const directive of ["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) expect(text).toContain(directive);
    expect(text).not.toMatch(/unsafe-eval|script-src/);
    const domain = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPoolDomain')?.[0];
    expect(parts).toContainEqual({ Ref: domain });
    expect(parts).toContainEqual({ Ref: 'AWS::Region' });
  });

  it('gives a second stack in the account its own sign-in domain, and the default stack the one it always had', () => {
    const domainOf = (context: Record<string, unknown>) => {
      const domains = Object.values(synth({ dashboard: 'true', ...context }).template.toJSON().Resources as Resources).filter(
        (r) => r.Type === 'AWS::Cognito::UserPoolDomain',
      );
      expect(domains).toHaveLength(1);
      return domains[0]?.Properties.Domain as unknown;
    };
    const production = domainOf({});
    const staging = domainOf({ stackName: 'PipelineGuard-staging' });

    expect(production).toEqual({ 'Fn::Join': ['', ['pipeline-guard-', { Ref: 'AWS::AccountId' }]] });
    expect(staging).not.toEqual(production);
    expect(staging).toEqual(domainOf({ stackName: 'PipelineGuard-staging' }));
    const [, parts] = (staging as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    const text = parts.map((p) => (typeof p === 'string' ? p : '123456789012')).join('');
    expect(text).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
  });

  it('lets the browser read the API only from the dashboard origin', () => {
    const readFn = resources[functionLogicalId(stack, stack.functions['read-api'])];
    expect(JSON.stringify(readFn?.Properties.Environment.Variables.DASHBOARD_ORIGIN)).toContain('DomainName');
  });
});
