-- Open file → wait for Accord's diagnostics → run the code action titled $ACCORD_ACTION →
-- answer each vim.ui.select from $ACCORD_ANSWERS (comma-separated), as the user would.
local report = dofile(vim.env.ACCORD_TESTS .. "/report.lua")
local data = report.data
data.prompts = {}

local answers = vim.split(vim.env.ACCORD_ANSWERS or "", ",", { trimempty = true })

vim.ui.select = function(items, opts, on_choice)
  local titles = vim.tbl_map(function(item) return item.title end, items)
  table.insert(data.prompts, { prompt = opts.prompt, kind = opts.kind, items = titles })
  local answer = table.remove(answers, 1)
  for _, item in ipairs(items) do
    if item.title == answer then
      return on_choice(item)
    end
  end
  on_choice(nil)
end

local function lines(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

local function diagnostics()
  return vim.tbl_map(function(d)
    return { code = d.code, line = d.lnum, source = d.source, message = d.message }
  end, vim.diagnostic.get(0))
end

-- Records the outcome of workspace/executeCommand, passing it on to the plugin's handler.
local function watch_results(client)
  local plugin_handler = client.handlers["workspace/executeCommand"]
  client.handlers["workspace/executeCommand"] = function(err, result, ctx)
    data.result = err and { error = err.message } or result
    return plugin_handler(err, result, ctx)
  end
end

report.run(function()
  local buf = vim.api.nvim_get_current_buf()
  report.wait("the diagnostics", function() return #vim.diagnostic.get(buf) > 0 end)
  data.diagnostics, data.diagnostics_ms = diagnostics(), report.elapsed()
  local client = vim.lsp.get_clients({ name = "accord", bufnr = buf })[1]
  data.client = client and client.name
  watch_results(client)
  local first = vim.diagnostic.get(buf, { severity = { min = vim.diagnostic.severity.WARN } })[1]
  vim.api.nvim_win_set_cursor(0, { first.lnum + 1, first.col })
  local started = report.elapsed()
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action) return vim.startswith(action.title, vim.env.ACCORD_ACTION) end,
  })
  report.wait("the action's result", function() return data.result ~= nil end)
  data.action_ms = report.elapsed() - started
  data.text = lines(buf)
  data.buffers = vim.tbl_map(vim.api.nvim_buf_get_name, vim.api.nvim_list_bufs())
end)
