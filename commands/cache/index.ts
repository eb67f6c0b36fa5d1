import CacheList from './list.js'

/** `kubectl aim cache` on its own lists the caches (same as `cache list`). */
export default class Cache extends CacheList {
  static override description = 'Template caches: list, show, warm and clean (alone: the same as cache list)'
  static override aliases = []
  static override examples = ['kubectl aim cache', 'kubectl aim cache show NAME', 'kubectl aim cache warm TEMPLATE --wait', 'kubectl aim cache clean --dry-run']
}
