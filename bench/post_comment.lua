-- wrk script: every request posts a different reader's comment to the article, as a crowd of
-- readers would. The path comes after "--" on wrk's command line: /comments/post/<id>/
-- A new email, token and text per post, also across wrk runs: the same form sent twice is
-- stored once, the same text twice is spam, and one address is held to a few posts
-- (bench/run.py raises the per-address limit for the run).

local path
local run = 0
local counter = 0

function init(args)
  path = args[1]
  math.randomseed(os.time())
  run = math.random(100000, 999999)
end

function request()
  counter = counter + 1
  local body = string.format(
    "token=bench%06d%010d&name=Bench+reader+%d&email=reader%d-%d%%40example.org"
      .. "&body=Comment+%d-%d+from+the+load+test%%3A+the+talks+need+more+time.&parent=",
    run, counter, counter, run, counter, run, counter)
  return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
