// The editor's text area: CodeMirror 6 behind the small part of a textarea's API the page uses.
// Bundled at build time (web-editor/pom.xml runs `npm ci` and esbuild) into assets/code-editor.js,
// which defines window.AquiferCodeEditor before the page's own scripts run.
//
// create(host, options) builds the editor inside `host` (the element with id "sql") and gives
// `host` the textarea's members: value, selectionStart, selectionEnd, setSelectionRange,
// setRangeText and focus, so the page and the browser tests read and drive it as before.
// options.highlight(text) returns [{from, to, className}] marks (the page's SQL tokens and the
// error mark); options.onChange({typed}) follows every change of the text (typed: the one
// character typed, when the change was that); options.keydown(event) sees keys first and returns
// true when it handled one; options.blur() and options.scroll() follow focus and scrolling.
import { EditorSelection, EditorState, Prec, StateEffect, StateField, Transaction } from "@codemirror/state";
import { Decoration, EditorView, drawSelection, keymap } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { StyleModule } from "style-mod";

// CodeMirror writes its base theme into a <style> element, which the page's Content-Security-Policy
// (style-src 'self', no inline styles) blocks. Given a root without a <head>, style-mod writes
// the same rules into a constructed style sheet adopted by the document instead, which the policy
// allows; this root stands for the document.
const mountStyles = StyleModule.mount;
const documentRoot = {
  ownerDocument: document,
  get adoptedStyleSheets() {
    return document.adoptedStyleSheets;
  },
  set adoptedStyleSheets(sheets) {
    document.adoptedStyleSheets = sheets;
  },
};
StyleModule.mount = (root, modules, options) =>
  mountStyles(root === document ? documentRoot : root, modules, options);

const refresh = StateEffect.define();

function create(host, options) {
  let updating = false; // within an update, where CodeMirror takes no new transaction
  const marks = (state) => {
    const ranges = [];
    const length = state.doc.length;
    for (const m of options.highlight(state.doc.toString())) {
      const from = Math.max(0, Math.min(m.from, length));
      const to = Math.max(from, Math.min(m.to, length));
      if (to > from) ranges.push(Decoration.mark({ class: m.className }).range(from, to));
    }
    return Decoration.set(ranges, true);
  };
  const highlighting = StateField.define({
    create: marks,
    update(value, tr) {
      return tr.docChanged || tr.effects.some((e) => e.is(refresh)) ? marks(tr.state) : value;
    },
    provide: (field) => EditorView.decorations.from(field),
  });

  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: "",
      extensions: [
        Prec.highest(
          EditorView.domEventHandlers({
            keydown: (event) => options.keydown(event) === true,
            blur: () => void options.blur(),
          })
        ),
        history(),
        drawSelection(),
        keymap.of([...historyKeymap, ...defaultKeymap]),
        highlighting,
        EditorView.contentAttributes.of({
          "aria-label": host.getAttribute("aria-label") || "SQL editor",
          "aria-multiline": "true",
          spellcheck: "false",
          autocorrect: "off",
          autocapitalize: "off",
        }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          updating = true;
          let typed = "";
          if (update.transactions.some((tr) => tr.isUserEvent("input.type"))) {
            update.changes.iterChanges((fromA, toA, fromB, toB, inserted) => {
              typed = fromA === toA ? inserted.toString() : "\n";
            });
          }
          try {
            options.onChange({ typed });
          } finally {
            updating = false;
          }
        }),
      ],
    }),
  });
  view.scrollDOM.addEventListener("scroll", () => options.scroll());

  const programmatic = (spec) =>
    view.dispatch({ ...spec, annotations: Transaction.addToHistory.of(false), scrollIntoView: true });
  Object.defineProperties(host, {
    value: {
      get: () => view.state.doc.toString(),
      set: (text) =>
        programmatic({
          changes: { from: 0, to: view.state.doc.length, insert: String(text) },
          selection: EditorSelection.cursor(String(text).length),
        }),
    },
    selectionStart: { get: () => view.state.selection.main.from },
    selectionEnd: { get: () => view.state.selection.main.to },
  });
  const clamp = (n) => Math.max(0, Math.min(n, view.state.doc.length));
  host.setSelectionRange = (start, end) =>
    view.dispatch({ selection: EditorSelection.range(clamp(start), clamp(end)), scrollIntoView: true });
  host.setRangeText = (text, start, end) =>
    view.dispatch({
      changes: { from: clamp(start), to: clamp(end), insert: text },
      selection: EditorSelection.cursor(clamp(start) + text.length),
      scrollIntoView: true,
      userEvent: "input.complete",
    });
  host.focus = () => view.focus();
  return {
    view,
    host,
    get hasFocus() {
      return view.hasFocus;
    },
    /** Marks the text again with options.highlight (after the error mark changed). */
    refresh: () => {
      if (updating) queueMicrotask(() => view.dispatch({ effects: refresh.of(null) }));
      else view.dispatch({ effects: refresh.of(null) });
    },
    /** The caret's place in the viewport ({left, top, bottom}), or null when out of view. */
    caretCoords: () => view.coordsAtPos(view.state.selection.main.head),
  };
}

window.AquiferCodeEditor = { create };
