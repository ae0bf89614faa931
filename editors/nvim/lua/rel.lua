-- Rel in Neovim: `rel lsp` for every buffer of filetype `rel`.
--
--   require('rel').setup()                       -- `rel` on the PATH
--   require('rel').setup({ cmd = { '/path/to/rel', 'lsp' } })
--
-- Works with Neovim 0.7 and later (vim.lsp.start where it exists).
local M = {}

local function root_of(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  return vim.fn.fnamemodify(name, ':p:h')
end

function M.start(bufnr, opts)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local config = {
    name = 'rel',
    cmd = opts.cmd or { 'rel', 'lsp' },
    root_dir = root_of(bufnr),
  }
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  -- Neovim 0.7: one client per root, attached to each buffer.
  M.clients = M.clients or {}
  local id = M.clients[config.root_dir]
  if not id then
    id = vim.lsp.start_client(config)
    M.clients[config.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

function M.setup(opts)
  opts = opts or {}
  vim.cmd([[autocmd BufRead,BufNewFile *.rel setfiletype rel]])
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'rel',
    callback = function(args)
      M.start(args.buf, opts)
    end,
  })
end

return M
