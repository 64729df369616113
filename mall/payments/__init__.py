"""Payment-code payments (付款码) at the mall: the gateway interface, the sandbox provider, the
WeChat Pay and Alipay adapters, the payment desk that tills talk to, and reconciliation."""
