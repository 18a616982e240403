/**
 * The AWS SDK warns on every publish that its releases after January 2027
 * need Node 22: a notice for whoever upgrades the lock file, which the comms
 * user running a publish can do nothing about. The CLI (and the bench, which
 * publishes in its own process) leave it out unless the user set
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false`.
 */
export function hideSdkNotices(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
