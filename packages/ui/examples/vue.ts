/**
 * A Vue 3 app embedding <rf-decision-table-editor>: the document lives in a
 * ref, the editor's `change` event writes it back, and a computed line shows
 * the engine's issues. No Vue plugin is needed: render functions create
 * custom elements directly; `.definition` (the "." prefix) binds the
 * property, not an attribute. In a single-file component's template the same
 * binding is `<rf-decision-table-editor :definition.prop="table" @change="onChange" />`
 * with `compilerOptions.isCustomElement: (tag) => tag.startsWith("rf-")`.
 */
import { computed, createApp, defineComponent, h, ref } from "vue";
import "@ruleflow/ui/decision-table-editor";
import type { ChangeDetail } from "@ruleflow/ui";

export function mountRateTable(target: Element, initial: Record<string, unknown>): void {
  const App = defineComponent({
    setup() {
      const table = ref(initial);
      const issues = ref<ChangeDetail["issues"]>([]);
      const summary = computed(() => (issues.value.length ? `${issues.value.length} problems` : "valid"));
      const onChange = (event: CustomEvent<ChangeDetail<Record<string, unknown>>>) => {
        table.value = event.detail.definition;
        issues.value = event.detail.issues;
      };
      return () => [
        h("rf-decision-table-editor", { ".definition": table.value, locale: "zh-CN", onChange }),
        h("p", { id: "summary" }, summary.value),
      ];
    },
  });
  createApp(App).mount(target);
}
