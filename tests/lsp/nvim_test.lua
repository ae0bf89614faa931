-- Drives Neovim (0.7 or later, headless) with rel's own editor setup:
-- opens a file, waits for rel lsp's diagnostics, hovers an actor, jumps to
-- its definition, formats the buffer, and writes what it saw as JSON.
local out_path = vim.env.REL_OUT
local results = {}
local function finish()
  local f = io.open(out_path, 'w')
  f:write(vim.fn.json_encode(results))
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(vim.env.REL_EDITOR_DIR)
  require('rel').setup({ cmd = { vim.env.REL_BIN, 'lsp' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.REL_FILE))
  results.filetype = vim.bo.filetype

  -- Diagnostics arrive as the server checks the file.
  vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  local diags = vim.diagnostic.get(0)
  if diags[1] then
    local d = diags[1]
    results.diagnostic_code = d.code
      or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    results.diagnostic_line = d.lnum
    results.diagnostic_message = d.message
  end

  local client = vim.lsp.get_active_clients()[1]
  results.client = client and client.name
  -- The cursor on `Xi` of `visit Xi -> Russia` (line 8).
  vim.api.nvim_win_set_cursor(0, { 8, 7 })
  local params = vim.lsp.util.make_position_params()
  local hover = client.request_sync('textDocument/hover', params, 10000, 0)
  results.hover = hover and hover.result and hover.result.contents.value
  local def = client.request_sync('textDocument/definition', params, 10000, 0)
  local first = def and def.result and def.result[1]
  results.definition = first and { uri = first.uri, line = first.range.start.line }

  -- Format the buffer through the server.
  local fmt = client.request_sync('textDocument/formatting', {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    options = { tabSize = 2, insertSpaces = true },
  }, 10000, 0)
  if fmt and fmt.result then
    vim.lsp.util.apply_text_edits(fmt.result, 0, 'utf-16')
  end
  results.formatted = vim.api.nvim_buf_get_lines(0, 2, 6, false)
end)
if not ok then results.error = tostring(err) end
finish()
