--- :Accord {mode|status|approvals|login|ask|team|suggest|many} — the server's commands and the CLI.
---
---   :Accord mode                      show the collaboration mode
---   :Accord mode {observation|guidance|control|autonomous}
---   :Accord status                    the org link and the agent pool
---   :Accord approvals [list|show ID|approve ID|reject ID]   the org's approval requests
---   :Accord login URL TOKEN           log in to an org server
---   :[range]Accord ask [INSTRUCTION]  ask an agent (the range, else the file; asks when empty)
---   :Accord team [accept N|dismiss N] the Team view (online, agents, approvals, suggestions)
---   :[range]Accord suggest TEXT       a suggestion to the project room (on the range)
---   :Accord many {document|generate_tests} [PATH...]  agents over files and folders (default:
---                                     the buffer's folder), one combined proposal gated once
local client = require("accord.client")

local M = {}

local MODES = { "observation", "guidance", "control", "autonomous" }

local function show(value)
  local text = type(value) == "string" and value or vim.inspect(value)
  vim.notify(text, vim.log.levels.INFO, { title = "Accord" })
end

--- Runs `accord ARGS...` (the executable of the server's cmd) and shows what it printed.
local function cli(args)
  local exe = require("accord").options.cmd[1]
  vim.system(vim.list_extend({ exe }, args), { text = true }, function(done)
    vim.schedule(function()
      local out = vim.trim((done.stdout or "") .. (done.stderr or ""))
      local level = done.code == 0 and vim.log.levels.INFO or vim.log.levels.ERROR
      vim.notify(out ~= "" and out or ("accord exited " .. done.code), level, { title = "Accord" })
    end)
  end)
end

M.subcommands = {
  mode = function(args)
    if args[1] == nil then
      client.execute("accord.mode.get", {}, function(r) show("Accord mode: " .. r.mode) end)
    else
      client.execute("accord.mode.set", { { mode = args[1] } }, function(r)
        show(("Accord mode: %s (was %s)"):format(r.mode, r.previous))
      end)
    end
  end,
  status = function()
    client.execute("accord.org.status", {}, show)
    client.execute("accord.agents.status", {}, show)
  end,
  approvals = function(args)
    cli(vim.list_extend({ "approvals" }, #args > 0 and args or { "list" }))
  end,
  ask = function(args, opts)
    local ask = require("accord.ask")
    ask.ask(ask.scope(opts.range > 0, opts.line1, opts.line2), table.concat(args, " "))
  end,
  team = function(args)
    local team = require("accord.team")
    if args[1] == "accept" or args[1] == "dismiss" then
      team.fetch(function() team.decide(args[2], args[1]) end)
    else
      team.open()
    end
  end,
  suggest = function(args, opts)
    require("accord.team").suggest(table.concat(args, " "), opts.range > 0, opts.line1, opts.line2)
  end,
  many = function(args)
    local kind, paths = args[1], vim.list_slice(args, 2)
    if kind ~= "document" and kind ~= "generate_tests" then
      vim.notify("usage: :Accord many {document|generate_tests} [PATH...]", vim.log.levels.ERROR)
      return
    end
    if #paths == 0 then
      paths = { vim.fn.expand("%:p:h") }
    end
    local uris = vim.tbl_map(function(path)
      return vim.uri_from_fname(vim.fs.normalize(vim.fn.fnamemodify(path, ":p")))
    end, paths)
    client.execute("accord.agents.runMany", { { kind = kind, uris = uris } }, function(result)
      if result.applied then
        show(("Accord: %s — %d files, applied"):format(kind, #result.files))
      else
        require("accord.approvals").on_result(nil, result)
      end
    end)
  end,
  login = function(args)
    if #args ~= 2 then
      vim.notify("usage: :Accord login URL TOKEN", vim.log.levels.ERROR)
      return
    end
    cli({ "login", args[1], "--token", args[2] })
  end,
}

local COMPLETIONS = {
  mode = MODES,
  approvals = { "list", "show", "approve", "reject" },
  team = { "accept", "dismiss" },
  many = { "document", "generate_tests" },
}

local function complete(arglead, line)
  local words = vim.split(line, "%s+", { trimempty = true })
  local nth = #words + (line:sub(-1) == " " and 1 or 0)
  local choices = nth <= 2 and vim.tbl_keys(M.subcommands) or (COMPLETIONS[words[2]] or {})
  table.sort(choices)
  return vim.tbl_filter(function(c) return vim.startswith(c, arglead) end, choices)
end

--- Creates :Accord (again, idempotently).
function M.create()
  vim.api.nvim_create_user_command("Accord", function(opts)
    local name, args = opts.fargs[1], vim.list_slice(opts.fargs, 2)
    local run = M.subcommands[name]
    if run == nil then
      vim.notify("Accord: :Accord {mode|status|approvals|login|ask|team|suggest|many}", vim.log.levels.ERROR)
      return
    end
    run(args, opts)
  end, {
    nargs = "+",
    range = true,
    complete = complete,
    desc = "Accord: mode, status, approvals, login, ask, team, suggest, many",
  })
end

return M
