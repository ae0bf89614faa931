// Starts `rel lsp` for .rel files. Highlighting without the server comes
// from the TextMate grammar in syntaxes/.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('rel').get('path', 'rel');
  const server = { command, args: ['lsp'] };
  client = new LanguageClient(
    'rel',
    'Rel',
    { run: server, debug: server },
    { documentSelector: [{ scheme: 'file', language: 'rel' }] }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
