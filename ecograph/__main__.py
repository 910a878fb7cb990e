from ecograph.cli import app

app(prog_name="ecograph")
