// SCR Assistant in Azure: an App Service on Linux running `python app.py`, an Azure Bot signing in
// as a user-assigned managed identity, Application Insights, a Key Vault holding the secrets the
// app reads (through Key Vault references), and optionally a PostgreSQL Flexible Server.
// Deployed by `atk provision` (m365agents.yml) or `az deployment group create` (README, "Deploy
// to Azure"). tests/test_deploy.py checks every setting the app reads is set here or
// named in the README as the deployer's choice.

@maxLength(20)
@minLength(4)
@description('Base of every resource name (letters and digits)')
param resourceBaseName string

@maxLength(42)
param botDisplayName string = 'SCR Assistant'

param location string = resourceGroup().location

@description('App Service plan size; B1 is the smallest with Always On')
param webAppSku string = 'B1'

@allowed(['3.11', '3.12', '3.13'])
param pythonVersion string = '3.12'

@description('Entra tenant ids (GUIDs, comma-separated) whose users may use the bot')
param allowedTenantIds string

@description('The mailbox the bot sends as through Microsoft Graph; empty = emails stay in DATA_DIR/outbox as .eml files')
param mailSender string = ''

@description('true: a PostgreSQL Flexible Server, wired to DATABASE_URL (needed to run more than one instance)')
param deployPostgreSql bool = false

param postgresAdminLogin string = 'scradmin'

@secure()
@description('Required when deployPostgreSql is true')
param postgresAdminPassword string = ''

var tenantId = tenant().tenantId
// Persistent across restarts and instances: App Service mounts /home from shared storage.
var dataDir = '/home/data'
var port = '8000'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: resourceBaseName
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: resourceBaseName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: resourceBaseName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// Secrets live here; the App Service reads them with its managed identity (Key Vault references).
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: resourceBaseName
  location: location
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

resource insightsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'applicationinsights-connection-string'
  properties: {
    value: insights.properties.ConnectionString
  }
}

// Key Vault Secrets User, for the app's identity only
var secretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'

resource secretsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, secretsUserRole)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRole)
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview' = if (deployPostgreSql) {
  name: resourceBaseName
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 35
      geoRedundantBackup: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2023-06-01-preview' = if (deployPostgreSql) {
  parent: postgres
  name: 'scr_assistant'
}

// 0.0.0.0 admits Azure services (the App Service's outbound addresses); use private networking
// where your landing zone provides it.
resource postgresFromAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2023-06-01-preview' = if (deployPostgreSql) {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (deployPostgreSql) {
  parent: vault
  name: 'database-url'
  properties: {
    value: 'postgresql://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${resourceBaseName}.postgres.database.azure.com:5432/scr_assistant?sslmode=require'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-01-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

var baseSettings = [
  // Where and how the app listens: App Service forwards HTTPS to this port.
  { name: 'HOST', value: '0.0.0.0' }
  { name: 'PORT', value: port }
  { name: 'WEBSITES_PORT', value: port }
  { name: 'DATA_DIR', value: dataDir }
  // The Bot Framework identity: the user-assigned managed identity, no password.
  { name: 'MicrosoftAppId', value: identity.properties.clientId }
  { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
  { name: 'MicrosoftAppTenantId', value: identity.properties.tenantId }
  { name: 'ALLOWED_TENANT_IDS', value: allowedTenantIds }
  // Graph mail as the same identity (Mail.Send and Mail.ReadWrite granted to it, README).
  { name: 'MAIL_SENDER', value: mailSender }
  { name: 'GRAPH_USE_MANAGED_IDENTITY', value: empty(mailSender) ? 'false' : 'true' }
  { name: 'GRAPH_CLIENT_ID', value: empty(mailSender) ? '' : identity.properties.clientId }
  { name: 'GRAPH_TENANT_ID', value: empty(mailSender) ? '' : tenantId }
  // Operations
  { name: 'LOG_FORMAT', value: 'json' }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: '@Microsoft.KeyVault(SecretUri=${insightsSecret.properties.secretUri})' }
  // App Service installs requirements.txt (-r requirements.lock) when the code is deployed.
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
]

var databaseSettings = deployPostgreSql ? [
  { name: 'DATABASE_URL', value: '@Microsoft.KeyVault(SecretUri=${databaseUrlSecret.properties.secretUri})' }
] : []

resource webApp 'Microsoft.Web/sites@2023-01-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with this identity.
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'PYTHON|${pythonVersion}'
      // The documented start command (README, "Deploy to Azure"); SIGTERM drains it.
      appCommandLine: 'python app.py'
      alwaysOn: true
      // /readyz: the store answers, the mail worker and reminder loop run.
      healthCheckPath: '/readyz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: concat(baseSettings, databaseSettings)
    }
  }
  dependsOn: [
    secretsAccess
  ]
}

module botRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    botServiceName: resourceBaseName
    botDisplayName: botDisplayName
    botAppDomain: webApp.properties.defaultHostName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
  }
}

// Written to env/.env.<environment> by the toolkit's arm/deploy
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
