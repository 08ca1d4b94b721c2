/**
 * The dashboard's Content-Security-Policy, one text for both places that serve it: the local runtime and CloudFront.
 *
 * Scripts, styles and images come from the dashboard's own origin only (a value from incident data that ends up as
 * markup cannot load or run anything), no other site may frame it (clickjacking), no plugins, and no `<base>` to
 * re-point its scripts. `connectTo` lists the origins the app fetches from besides its own: in AWS the read API and
 * the Cognito sign-in domain (its token endpoint); locally the API is the same origin and the list is empty.
 *
 * This module imports nothing, so the local runtime can use it without loading the CDK.
 */
export function dashboardContentSecurityPolicy(connectTo: readonly string[] = []): string {
  return [
    "default-src 'self'",
    ...(connectTo.length > 0 ? [`connect-src 'self' ${connectTo.join(' ')}`] : []),
    "img-src 'self' data:",
    // Preact sets `style` attributes (chart bars); there is no inline script.
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}
